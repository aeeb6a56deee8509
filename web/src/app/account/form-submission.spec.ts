import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { FormControl, Validators } from '@angular/forms';
import { Subject } from 'rxjs';

import { FormSubmission } from './form-submission';

describe('FormSubmission', () => {
  function setUp() {
    const submission = TestBed.runInInjectionContext(() => new FormSubmission());
    const form = new FormControl('', { nonNullable: true, validators: Validators.required });
    const answers = new Subject<string>();
    const request = vi.fn(() => answers.asObservable());
    const done = vi.fn();
    const submit = () => submission.submit(form, 'Fill it in.', request, done);
    return { submission, form, answers, request, done, submit };
  }

  it('an invalid form sends nothing and says why', () => {
    const { submission, form, request, submit } = setUp();
    submit();
    expect(request).not.toHaveBeenCalled();
    expect(form.touched).toBe(true);
    expect(submission.error()).toBe('Fill it in.');
    expect(submission.pending()).toBe(false);
  });

  it('is pending until the answer, ignores a second submit meanwhile, then calls done', () => {
    const { submission, form, answers, request, done, submit } = setUp();
    form.setValue('filled');
    submission.error.set('an old message');
    submit();
    submit();
    expect(request).toHaveBeenCalledTimes(1);
    expect(submission.pending()).toBe(true);
    expect(submission.error()).toBeNull();

    answers.next('ok');
    expect(done).toHaveBeenCalledWith('ok');
    expect(submission.pending()).toBe(false);
  });

  it('a refusal ends pending and shows the account error message', () => {
    const { submission, form, answers, done, submit } = setUp();
    form.setValue('filled');
    submit();
    answers.error(
      new HttpErrorResponse({
        status: 400,
        error: { error: 'weak_password', message: 'Use at least 12 characters' },
      }),
    );
    expect(done).not.toHaveBeenCalled();
    expect(submission.pending()).toBe(false);
    expect(submission.error()).toBe('Use at least 12 characters');
  });
});
