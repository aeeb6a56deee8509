import { HttpClient } from '@angular/common/http';
import { Component, DestroyRef, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { authEndpointContext, signupErrorMessage } from '@latchkey/angular';

import { ConfigService } from '../core/app-config';

/** How long the success message shows before the login page opens. */
export const SIGNUP_REDIRECT_DELAY_MS = 1500;

@Component({
  selector: 'app-signup',
  imports: [ReactiveFormsModule, RouterLink],
  templateUrl: './signup.html',
})
export class SignupPage {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  private readonly config = inject(ConfigService);

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly pending = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly success = signal(false);
  private redirectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.redirectTimer));
  }

  protected submit(): void {
    if (this.pending() || this.success()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      this.error.set('Please enter an email address and a password.');
      return;
    }
    const { email, password } = this.form.getRawValue();
    this.pending.set(true);
    this.error.set(null);
    this.http
      .post(
        `${this.config.value.authUrl}/api/signup`,
        { email: email.trim(), password },
        { context: authEndpointContext() },
      )
      .subscribe({
        next: () => {
          this.pending.set(false);
          this.success.set(true);
          this.redirectTimer = setTimeout(
            () => void this.router.navigate(['/login'], { queryParams: { reason: 'signed-up' } }),
            SIGNUP_REDIRECT_DELAY_MS,
          );
        },
        error: (err: unknown) => {
          this.pending.set(false);
          this.error.set(signupErrorMessage(err));
        },
      });
  }
}
