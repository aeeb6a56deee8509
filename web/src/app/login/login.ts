import { Component, computed, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import {
  AccountService,
  AuthService,
  CodeFlowService,
  isEmailNotVerified,
  LoginResponse,
  SecondFactorMethod,
  isSecondFactorRequired,
  loginErrorMessage,
  passkeyErrorMessage,
  passkeysSupported,
  safeReturnUrl,
} from '@latchkey/angular';
import { Observable } from 'rxjs';

import { ConfigService } from '../core/app-config';

/** Messages for `/login?reason=...`: why the user is on the login page. */
export const SESSION_MESSAGES: Readonly<Record<string, string>> = {
  expired: 'Your session has expired. Please log in again.',
  unauthorized: 'Your session is no longer valid. Please log in again.',
  'signed-up':
    'Your account has been created. Confirm your email with the link we sent, then log in.',
  hosted: 'The login did not complete. Please try again.',
  code_flow: 'The sign-in did not complete. Please try again.',
};

@Component({
  selector: 'app-login',
  imports: [ReactiveFormsModule, RouterLink],
  templateUrl: './login.html',
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly accounts = inject(AccountService);
  private readonly codeFlow = inject(CodeFlowService);
  protected readonly config = inject(ConfigService).config;

  /** `?reason=` (bound from the query string). */
  readonly reason = input<string>();
  /** `?returnUrl=`: where to go after logging in; only paths of this app are followed. */
  readonly returnUrl = input<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly codeForm = inject(NonNullableFormBuilder).group({
    code: ['', Validators.required],
  });
  /** The second step the login waits for (a code), or null while the password is asked. */
  protected readonly secondFactor = this.auth.secondFactor;
  /** Whether this browser can sign in with a passkey (the button shows only then). */
  protected readonly passkeys = passkeysSupported();
  protected readonly pending = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Set when the login was refused with `email_not_verified`: the address to resend to. */
  protected readonly unverifiedEmail = signal<string | null>(null);
  protected readonly resend = signal<'idle' | 'pending' | 'sent' | 'failed'>('idle');
  protected readonly sessionMessage = computed(() => {
    const reason = this.reason();
    return reason && Object.hasOwn(SESSION_MESSAGES, reason) ? SESSION_MESSAGES[reason] : null;
  });
  protected readonly hostedLoginHref = computed(() => {
    const hosted = this.config().hostedLoginUrl;
    if (hosted === null || typeof location === 'undefined') {
      return null;
    }
    const url = new URL(hosted);
    url.searchParams.set('return_to', `${location.origin}/auth/callback`);
    return url.href;
  });

  protected submit(): void {
    if (this.pending()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      this.error.set('Please enter your email address and password.');
      return;
    }
    const { email, password } = this.form.getRawValue();
    this.pending.set(true);
    this.error.set(null);
    this.unverifiedEmail.set(null);
    this.resend.set('idle');
    this.auth.login(email.trim(), password).subscribe({
      next: (result) => {
        this.pending.set(false);
        if (isSecondFactorRequired(result)) {
          this.form.controls.password.reset(); // the code step comes next: forget the password
          return;
        }
        this.signedIn();
      },
      error: (err: unknown) => {
        this.pending.set(false);
        this.error.set(loginErrorMessage(err));
        if (isEmailNotVerified(err)) {
          this.unverifiedEmail.set(email.trim());
        }
      },
    });
  }

  /** Code-flow mode: off to the auth server's `/authorize` (its hosted page), back on /auth/code. */
  protected signInWithCodeFlow(): void {
    this.pending.set(true);
    this.codeFlow.signIn(safeReturnUrl(this.returnUrl(), '/lessons')).catch((err: unknown) => {
      this.pending.set(false);
      this.error.set(err instanceof Error ? err.message : 'The sign-in could not start.');
    });
  }

  /** The code step: `POST /api/login/mfa` with a TOTP code or a recovery code. */
  protected submitCode(): void {
    if (this.pending()) {
      return;
    }
    if (this.codeForm.invalid) {
      this.codeForm.markAllAsTouched();
      this.error.set('Please enter the code from your authenticator app.');
      return;
    }
    this.pending.set(true);
    this.error.set(null);
    this.auth.completeSecondFactor(this.codeForm.getRawValue().code.trim()).subscribe({
      next: () => {
        this.pending.set(false);
        this.codeForm.reset();
        this.signedIn();
      },
      error: (err: unknown) => {
        this.pending.set(false);
        this.codeForm.reset();
        this.error.set(loginErrorMessage(err));
      },
    });
  }

  /** Whether the pending step takes a typed code (TOTP or recovery code). */
  protected codeAccepted(methods: readonly SecondFactorMethod[]): boolean {
    return methods.includes('totp') || methods.includes('recovery_code');
  }

  /** Passwordless: the browser's passkey dialog, then `POST /api/passkeys/login`. */
  protected signInWithPasskey(): void {
    this.error.set(null);
    this.unverifiedEmail.set(null);
    this.withPasskey(() => this.auth.loginWithPasskey());
  }

  /** The second step with a passkey in place of a code. */
  protected completeWithPasskey(): void {
    this.error.set(null);
    this.withPasskey(() => this.auth.completeSecondFactorWithPasskey());
  }

  private withPasskey(ceremony: () => Observable<LoginResponse>): void {
    if (this.pending()) {
      return;
    }
    this.pending.set(true);
    ceremony().subscribe({
      next: () => {
        this.pending.set(false);
        this.signedIn();
      },
      error: (err: unknown) => {
        this.pending.set(false);
        this.error.set(passkeyErrorMessage(err));
      },
    });
  }

  /** Back from the code step to the password. */
  protected startOver(): void {
    this.auth.clearSecondFactor();
    this.codeForm.reset();
    this.error.set(null);
  }

  private signedIn(): void {
    void this.router.navigateByUrl(safeReturnUrl(this.returnUrl(), '/lessons'));
  }

  /** `POST /api/email-verification {email}`: always 202, a fresh link when one is due. */
  protected resendVerification(): void {
    const email = this.unverifiedEmail();
    if (email === null || this.resend() === 'pending') {
      return;
    }
    this.resend.set('pending');
    this.accounts.resendVerification(email).subscribe({
      next: () => this.resend.set('sent'),
      error: () => this.resend.set('failed'),
    });
  }
}
