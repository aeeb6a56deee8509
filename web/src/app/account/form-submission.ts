import { DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { AbstractControl } from '@angular/forms';
import { accountErrorMessage } from '@latchkey/angular';
import { Observable } from 'rxjs';

/**
 * The request state of an account form: `pending` while its request is in flight (a second
 * submit is ignored), `error` the message of the last refusal (`accountErrorMessage`). Create
 * it in an injection context (a field initialiser): the request is dropped when the page goes.
 */
export class FormSubmission {
  readonly pending = signal(false);
  readonly error = signal<string | null>(null);
  private readonly destroyRef = inject(DestroyRef);

  /**
   * Sends `request()` unless one is in flight or the form is invalid (then shows
   * `invalidMessage`); `done` gets the answer.
   */
  submit<T>(
    form: AbstractControl,
    invalidMessage: string,
    request: () => Observable<T>,
    done: (answer: T) => void,
  ): void {
    if (this.pending()) {
      return;
    }
    if (form.invalid) {
      form.markAllAsTouched();
      this.error.set(invalidMessage);
      return;
    }
    this.pending.set(true);
    this.error.set(null);
    request()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (answer) => {
          this.pending.set(false);
          done(answer);
        },
        error: (err: unknown) => {
          this.pending.set(false);
          this.error.set(accountErrorMessage(err));
        },
        complete: () => this.pending.set(false),
      });
  }
}
