import { HttpClient } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { authEndpointContext, signupErrorMessage } from '@latchkey/angular';

import { ConfigService } from '../core/app-config';

@Component({
  selector: 'app-signup',
  imports: [ReactiveFormsModule, RouterLink],
  templateUrl: './signup.html',
})
export class SignupPage {
  private readonly http = inject(HttpClient);
  private readonly config = inject(ConfigService);

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly pending = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The address the confirmation link went to, once the sign-up was accepted. */
  protected readonly success = signal<string | null>(null);

  protected submit(): void {
    if (this.pending() || this.success() !== null) {
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
          this.success.set(email.trim());
        },
        error: (err: unknown) => {
          this.pending.set(false);
          this.error.set(signupErrorMessage(err));
        },
      });
  }
}
