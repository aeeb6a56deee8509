import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { AccountService } from '@latchkey/angular';

import { FormSubmission } from './form-submission';
import { PasskeysSection } from './passkeys';
import { TwoStepSection } from './two-step';

/**
 * `/account` (logged in): change the password (other sessions end; this one continues), and
 * two-step sign-in with an authenticator app, and passkeys.
 */
@Component({
  selector: 'app-account',
  imports: [ReactiveFormsModule, TwoStepSection, PasskeysSection],
  template: `
    <section class="card" aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      <h2>Change password</h2>
      <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
        <label for="account-current">Current password</label>
        <input
          id="account-current"
          type="password"
          formControlName="currentPassword"
          autocomplete="current-password"
          required
          data-testid="account-current"
        />
        <label for="account-new">New password</label>
        <input
          id="account-new"
          type="password"
          formControlName="newPassword"
          autocomplete="new-password"
          required
          data-testid="account-new"
        />
        @if (error(); as message) {
          <p class="error" role="alert" data-testid="account-error">{{ message }}</p>
        }
        @if (done()) {
          <p class="success" role="status" data-testid="account-done">
            Your password has been changed. Your other sessions have been logged out.
          </p>
        }
        <button
          type="submit"
          class="primary"
          data-testid="account-submit"
          [disabled]="pending()"
          [attr.aria-busy]="pending()"
        >
          {{ pending() ? 'Saving…' : 'Change password' }}
        </button>
      </form>
      <app-two-step />
      <app-passkeys />
    </section>
  `,
})
export class AccountPage {
  private readonly accounts = inject(AccountService);
  protected readonly form = inject(NonNullableFormBuilder).group({
    currentPassword: ['', Validators.required],
    newPassword: ['', Validators.required],
  });
  private readonly submission = new FormSubmission();
  protected readonly pending = this.submission.pending;
  protected readonly error = this.submission.error;
  protected readonly done = signal(false);

  protected submit(): void {
    const { currentPassword, newPassword } = this.form.getRawValue();
    this.submission.submit(
      this.form,
      'Please enter your current and your new password.',
      () => {
        this.done.set(false);
        return this.accounts.changePassword(currentPassword, newPassword);
      },
      () => {
        this.done.set(true);
        this.form.reset();
      },
    );
  }
}
