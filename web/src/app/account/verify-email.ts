import { Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { AccountService, accountErrorMessage } from '@latchkey/angular';

import { takeLinkToken } from './link-token';

/** `/verify-email#token=...`: the link of the confirmation mail. */
@Component({
  selector: 'app-verify-email',
  imports: [RouterLink],
  template: `
    <section class="card" aria-labelledby="verify-title">
      <h1 id="verify-title">Confirm your email</h1>
      @switch (state()) {
        @case ('pending') {
          <p role="status" data-testid="verify-pending">Confirming your address…</p>
        }
        @case ('done') {
          <p class="success" role="status" data-testid="verify-done">
            Your email address is confirmed. You can
            <a routerLink="/login" data-testid="verify-login">log in</a> now.
          </p>
        }
        @default {
          <p class="error" role="alert" data-testid="verify-error">{{ error() }}</p>
          <p class="alternatives"><a routerLink="/login">Log in</a> to have a new link sent.</p>
        }
      }
    </section>
  `,
})
export class VerifyEmailPage {
  protected readonly state = signal<'pending' | 'done' | 'failed'>('pending');
  protected readonly error = signal<string | null>(null);

  constructor() {
    const token = takeLinkToken();
    if (token === null) {
      this.fail('This link has no token. Open the link from the mail exactly as it was sent.');
      return;
    }
    inject(AccountService)
      .confirmEmail(token)
      .subscribe({
        next: () => this.state.set('done'),
        error: (err: unknown) => this.fail(accountErrorMessage(err)),
      });
  }

  private fail(message: string): void {
    this.error.set(message);
    this.state.set('failed');
  }
}
