import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { AccountService, AuthService } from '@latchkey/angular';

import { FormSubmission } from './form-submission';
import { takeLinkToken } from './link-token';

/** `/reset-password#token=...`: the link of the reset mail; sets a new password. */
@Component({
  selector: 'app-reset-password',
  imports: [ReactiveFormsModule, RouterLink],
  template: `
    <section class="card" aria-labelledby="reset-title">
      <h1 id="reset-title">Set a new password</h1>
      @if (done()) {
        <p class="success" role="status" data-testid="reset-done">
          Your new password is set and every session has been logged out.
          <a routerLink="/login" data-testid="reset-login">Log in</a> with the new password.
        </p>
      } @else if (token === null) {
        <p class="error" role="alert" data-testid="reset-error">
          This link has no token. Open the link from the mail exactly as it was sent, or
          <a routerLink="/forgot-password">ask for a new one</a>.
        </p>
      } @else {
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <label for="reset-password">New password</label>
          <input
            id="reset-password"
            type="password"
            formControlName="password"
            autocomplete="new-password"
            required
            data-testid="reset-password"
          />
          @if (error(); as message) {
            <p class="error" role="alert" data-testid="reset-error">{{ message }}</p>
          }
          <button
            type="submit"
            class="primary"
            data-testid="reset-submit"
            [disabled]="pending()"
            [attr.aria-busy]="pending()"
          >
            {{ pending() ? 'Saving…' : 'Set password' }}
          </button>
        </form>
        <p class="alternatives"><a routerLink="/forgot-password">Ask for a new link</a></p>
      }
    </section>
  `,
})
export class ResetPasswordPage {
  private readonly accounts = inject(AccountService);
  private readonly auth = inject(AuthService);
  protected readonly token = takeLinkToken();
  protected readonly form = inject(NonNullableFormBuilder).group({
    password: ['', Validators.required],
  });
  private readonly submission = new FormSubmission();
  protected readonly pending = this.submission.pending;
  protected readonly error = this.submission.error;
  protected readonly done = signal(false);

  protected submit(): void {
    const token = this.token;
    if (token === null) {
      return;
    }
    this.submission.submit(
      this.form,
      'Please enter a new password.',
      () => this.accounts.confirmPasswordReset(token, this.form.getRawValue().password),
      () => {
        this.done.set(true);
        if (this.auth.loggedIn()) {
          this.auth.logout(); // the server has ended every session of the user
        }
      },
    );
  }
}
