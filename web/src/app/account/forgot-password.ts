import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { AccountService } from '@latchkey/angular';

import { FormSubmission } from './form-submission';

/** `/forgot-password`: asks for a reset link. The answer is the same for every address. */
@Component({
  selector: 'app-forgot-password',
  imports: [ReactiveFormsModule, RouterLink],
  template: `
    <section class="card" aria-labelledby="forgot-title">
      <h1 id="forgot-title">Forgot your password?</h1>
      @if (sent()) {
        <p class="success" role="status" data-testid="forgot-sent">
          If this address has an account, a link to set a new password is on its way. It works for
          30 minutes, once.
        </p>
      } @else {
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <label for="forgot-email">Email</label>
          <input
            id="forgot-email"
            type="email"
            formControlName="email"
            autocomplete="email"
            required
            data-testid="forgot-email"
          />
          @if (error(); as message) {
            <p class="error" role="alert" data-testid="forgot-error">{{ message }}</p>
          }
          <button
            type="submit"
            class="primary"
            data-testid="forgot-submit"
            [disabled]="pending()"
            [attr.aria-busy]="pending()"
          >
            {{ pending() ? 'Sending…' : 'Send me a link' }}
          </button>
        </form>
      }
      <p class="alternatives"><a routerLink="/login">Back to log in</a></p>
    </section>
  `,
})
export class ForgotPasswordPage {
  private readonly accounts = inject(AccountService);
  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
  });
  private readonly submission = new FormSubmission();
  protected readonly pending = this.submission.pending;
  protected readonly error = this.submission.error;
  protected readonly sent = signal(false);

  protected submit(): void {
    this.submission.submit(
      this.form,
      'Please enter your email address.',
      () => this.accounts.requestPasswordReset(this.form.getRawValue().email),
      () => this.sent.set(true),
    );
  }
}
