import { requestOrigin, safeReturnUrl } from './urls';

describe('urls', () => {
  it('resolves the origin a request goes to', () => {
    const page = 'http://localhost:8080/lessons';
    expect(requestOrigin('/api/lessons', page)).toBe('http://localhost:8080');
    expect(requestOrigin('api/lessons', page)).toBe('http://localhost:8080');
    expect(requestOrigin('//evil.example/x', page)).toBe('http://evil.example');
    expect(requestOrigin('/\\evil.example/x', page)).toBe('http://evil.example');
    expect(requestOrigin('HTTP://LOCALHOST:8080/x', page)).toBe('http://localhost:8080');
    expect(requestOrigin('data:text/plain,hi', page)).toBeNull();
  });

  it('follows only in-app return URLs', () => {
    expect(safeReturnUrl('/lessons?page=2')).toBe('/lessons?page=2');
    expect(safeReturnUrl(undefined)).toBe('/');
    expect(safeReturnUrl(undefined, '/lessons')).toBe('/lessons');
    expect(safeReturnUrl('/signin?x=1', '/', '/signin')).toBe('/');
    for (const bad of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      '/login',
      'lessons',
    ]) {
      expect(safeReturnUrl(bad, '/lessons')).toBe('/lessons');
    }
  });
});
