import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { AccountService, accountErrorMessage } from '@latchkey/angular';

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
  protected readonly pending = signal(false);
  protected readonly sent = signal(false);
  protected readonly error = signal<string | null>(null);

  protected submit(): void {
    if (this.pending()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      this.error.set('Please enter your email address.');
      return;
    }
    this.pending.set(true);
    this.error.set(null);
    this.accounts.requestPasswordReset(this.form.getRawValue().email).subscribe({
      next: () => {
        this.pending.set(false);
        this.sent.set(true);
      },
      error: (err: unknown) => {
        this.pending.set(false);
        this.error.set(accountErrorMessage(err));
      },
    });
  }
}
