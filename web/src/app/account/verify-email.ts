import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { AccountService } from '@latchkey/angular';

import { FormSubmission } from './form-submission';
import { takeLinkToken } from './link-token';

/**
 * `/verify-email#token=...`: the link of the confirmation mail. Confirming asks for the password
 * chosen at sign-up, so that someone who signed up with another person's address cannot have that
 * person make their password usable by following the link (docs/accounts.md).
 */
@Component({
  selector: 'app-verify-email',
  imports: [ReactiveFormsModule, RouterLink],
  template: `
    <section class="card" aria-labelledby="verify-title">
      <h1 id="verify-title">Confirm your email</h1>
      @if (done()) {
        <p class="success" role="status" data-testid="verify-done">
          Your email address is confirmed. You can
          <a routerLink="/login" data-testid="verify-login">log in</a> now.
        </p>
      } @else if (token === null) {
        <p class="error" role="alert" data-testid="verify-error">
          This link has no token. Open the link from the mail exactly as it was sent.
        </p>
        <p class="alternatives"><a routerLink="/login">Log in</a> to have a new link sent.</p>
      } @else {
        <p>
          Enter the password you chose when you signed up. If you did not sign up, ignore this link;
          to use this address, <a routerLink="/forgot-password">set a new password</a>.
        </p>
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <label for="verify-password">Password</label>
          <input
            id="verify-password"
            type="password"
            formControlName="password"
            autocomplete="current-password"
            required
            data-testid="verify-password"
          />
          @if (error(); as message) {
            <p class="error" role="alert" data-testid="verify-error">{{ message }}</p>
          }
          <button
            type="submit"
            class="primary"
            data-testid="verify-submit"
            [disabled]="pending()"
            [attr.aria-busy]="pending()"
          >
            {{ pending() ? 'Confirming…' : 'Confirm my email' }}
          </button>
        </form>
      }
    </section>
  `,
})
export class VerifyEmailPage {
  private readonly accounts = inject(AccountService);
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
      'Please enter your password.',
      () => this.accounts.confirmEmail(token, this.form.getRawValue().password),
      () => this.done.set(true),
    );
  }
}
