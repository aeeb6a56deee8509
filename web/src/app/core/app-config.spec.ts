import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideLatchkey } from '@latchkey/angular';

import {
  CONFIG_URL,
  ConfigService,
  DEFAULT_CONFIG,
  latchkeyOptions,
  normalizeConfig,
} from './app-config';

describe('normalizeConfig', () => {
  it('reads the documented /config.json', () => {
    expect(
      normalizeConfig({
        authUrl: 'http://localhost:9000/',
        apiOrigins: ['http://localhost:8080', 'https://api.example.com/some/path'],
        delivery: 'body',
        dpop: true,
        signupEnabled: true,
        hostedLoginUrl: 'http://localhost:9000/login',
      }),
    ).toEqual({
      authUrl: 'http://localhost:9000',
      apiOrigins: ['http://localhost:8080', 'https://api.example.com'],
      delivery: 'body',
      dpop: true,
      signupEnabled: true,
      hostedLoginUrl: 'http://localhost:9000/login',
      apiUrl: '',
      refreshEnabled: false,
      codeFlowClientId: null,
    });
  });

  it('reads the code flow of `latchkey demo --code-flow`, and gives it to the library', () => {
    const config = normalizeConfig({
      authUrl: 'http://localhost:9000',
      delivery: 'body',
      codeFlow: { clientId: ' latchkey-demo ' },
    });
    expect(config.codeFlowClientId).toBe('latchkey-demo');
    expect(latchkeyOptions(config).codeFlow).toEqual({ clientId: 'latchkey-demo' });
    // ConfigService.set() normalizes a normalized configuration again
    expect(normalizeConfig({ ...config }).codeFlowClientId).toBe('latchkey-demo');
  });

  it('leaves the code flow off without a usable client id', () => {
    for (const codeFlow of [undefined, null, {}, { clientId: '' }, { clientId: 42 }, '  ']) {
      const config = normalizeConfig({ authUrl: 'http://localhost:9000', codeFlow });
      expect(config.codeFlowClientId).toBeNull();
      expect(latchkeyOptions(config).codeFlow).toBeUndefined();
    }
  });

  it('falls back to the defaults for missing or malformed fields', () => {
    expect(normalizeConfig(null)).toEqual(DEFAULT_CONFIG);
    expect(normalizeConfig('nonsense')).toEqual(DEFAULT_CONFIG);
    expect(
      normalizeConfig({
        authUrl: 'javascript:alert(1)',
        apiOrigins: ['not a url', 42, 'ftp://x.example'],
        delivery: 'carrier-pigeon',
        dpop: 'yes',
        signupEnabled: 'yes',
        hostedLoginUrl: '',
      }),
    ).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({ authUrl: '', apiOrigins: [], delivery: 'body' });
  });
});

describe('ConfigService.load', () => {
  function setUp() {
    TestBed.configureTestingModule({
      providers: [provideLatchkey({ authUrl: '' }), provideHttpClientTesting(), provideRouter([])],
    });
    return { service: TestBed.inject(ConfigService), http: TestBed.inject(HttpTestingController) };
  }

  afterEach(() => localStorage.clear());

  it('loads /config.json, bypassing the interceptors', async () => {
    localStorage.setItem('id_token', 'must-not-be-sent');
    localStorage.setItem('expires_at', String(Date.now() + 60_000));
    const { service, http } = setUp();
    const loading = service.load();

    const req = http.expectOne(CONFIG_URL);
    expect(req.request.headers.has('Authorization')).toBe(false);
    req.flush({
      authUrl: 'http://localhost:9000',
      delivery: 'cookie',
      dpop: true,
      signupEnabled: true,
    });
    await loading;

    expect(service.value.authUrl).toBe('http://localhost:9000');
    expect(service.config().delivery).toBe('cookie');
    expect(latchkeyOptions(service.value)).toMatchObject({
      authUrl: 'http://localhost:9000',
      delivery: 'cookie',
      dpop: true, // the library then ignores it: cookie mode
      homePath: '/lessons',
    });
  });

  it('keeps the defaults when /config.json is missing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { service, http } = setUp();
    const loading = service.load();
    http.expectOne(CONFIG_URL).flush('Not Found', { status: 404, statusText: 'Not Found' });
    await loading;
    expect(service.value).toEqual(DEFAULT_CONFIG);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});
