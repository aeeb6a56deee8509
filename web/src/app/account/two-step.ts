import { Component, OnInit, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  SecondFactorService,
  SecondFactorSummary,
  TotpEnrolment,
  accountErrorMessage,
} from '@latchkey/angular';

import { FormSubmission } from './form-submission';
import { QrCode } from './qr-code';

/**
 * The Account page's two-step sign-in: set up an authenticator app (QR code drawn here, the
 * secret as text), confirm it with a code, see the recovery codes once; turn it off with a code
 * or the password; get new recovery codes with a code.
 */
@Component({
  selector: 'app-two-step',
  imports: [ReactiveFormsModule, QrCode],
  template: `
    <h2>Two-step sign-in</h2>
    @if (loadError(); as message) {
      <p class="error" role="alert" data-testid="totp-load-error">{{ message }}</p>
    }
    @if (recoveryCodes(); as codes) {
      <div data-testid="recovery-codes-panel">
        <p class="notice" role="status">
          Save these recovery codes somewhere safe. Each works once, in place of a code, if you lose
          your phone. They are shown only now.
        </p>
        <ul class="recovery-codes" data-testid="recovery-codes">
          @for (code of codes; track code) {
            <li>
              <code>{{ code }}</code>
            </li>
          }
        </ul>
        <button
          type="button"
          class="primary"
          data-testid="recovery-codes-done"
          (click)="recoveryCodes.set(null)"
        >
          I have saved them
        </button>
      </div>
    } @else if (enrolment(); as e) {
      <form [formGroup]="confirmForm" (ngSubmit)="confirm()" novalidate>
        <p>Scan this code with your authenticator app, then enter the code it shows.</p>
        <app-qr-code [text]="e.otpauthUri" label="QR code for your authenticator app" />
        <p>
          Or type this key in: <code data-testid="totp-secret">{{ e.secret }}</code>
        </p>
        <label for="totp-code">Code from the app</label>
        <input
          id="totp-code"
          type="text"
          inputmode="numeric"
          autocomplete="one-time-code"
          formControlName="code"
          maxlength="8"
          required
          data-testid="totp-code"
        />
        @if (confirming.error(); as message) {
          <p class="error" role="alert" data-testid="totp-error">{{ message }}</p>
        }
        <button
          type="submit"
          class="primary"
          data-testid="totp-confirm"
          [disabled]="confirming.pending()"
        >
          Turn on
        </button>
        <button type="button" class="link-button" (click)="enrolment.set(null)">Cancel</button>
      </form>
    } @else if (summary(); as s) {
      @if (s.totp) {
        <p data-testid="totp-status">
          On: signing in asks for a code from your authenticator app.
          <span data-testid="recovery-codes-left">{{ s.recoveryCodesLeft }}</span> recovery codes
          left.
        </p>
        <form [formGroup]="codeForm" novalidate>
          <label for="totp-manage-code">Current code from the app</label>
          <input
            id="totp-manage-code"
            type="text"
            inputmode="numeric"
            autocomplete="one-time-code"
            formControlName="code"
            maxlength="8"
            required
            data-testid="totp-manage-code"
          />
          @if (managing.error(); as message) {
            <p class="error" role="alert" data-testid="totp-error">{{ message }}</p>
          }
          <button
            type="button"
            data-testid="recovery-regenerate"
            [disabled]="managing.pending()"
            (click)="regenerate()"
          >
            New recovery codes
          </button>
          <button
            type="button"
            data-testid="totp-remove"
            [disabled]="managing.pending()"
            (click)="remove()"
          >
            Turn off
          </button>
        </form>
      } @else {
        <p data-testid="totp-status">Off: signing in asks for your password only.</p>
        @if (starting.error(); as message) {
          <p class="error" role="alert" data-testid="totp-error">{{ message }}</p>
        }
        <button
          type="button"
          class="primary"
          data-testid="totp-start"
          [disabled]="starting.pending()"
          (click)="start()"
        >
          Set up an authenticator app
        </button>
      }
    }
  `,
})
export class TwoStepSection implements OnInit {
  private readonly factors = inject(SecondFactorService);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly summary = signal<SecondFactorSummary | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly enrolment = signal<TotpEnrolment | null>(null);
  protected readonly recoveryCodes = signal<readonly string[] | null>(null);
  protected readonly confirmForm = this.fb.group({ code: ['', Validators.required] });
  protected readonly codeForm = this.fb.group({ code: ['', Validators.required] });
  protected readonly starting = new FormSubmission();
  protected readonly confirming = new FormSubmission();
  protected readonly managing = new FormSubmission();

  ngOnInit(): void {
    this.load();
  }

  private load(): void {
    this.factors.summary().subscribe({
      next: (s) => {
        this.loadError.set(null);
        this.summary.set(s);
      },
      error: (err: unknown) => this.loadError.set(accountErrorMessage(err)),
    });
  }

  protected start(): void {
    this.starting.submit(
      this.fb.group({}),
      '',
      () => this.factors.startTotp(),
      (e) => {
        this.confirmForm.reset();
        this.enrolment.set(e);
      },
    );
  }

  protected confirm(): void {
    this.confirming.submit(
      this.confirmForm,
      'Enter the code your app shows.',
      () => this.factors.confirmTotp(this.confirmForm.getRawValue().code),
      (codes) => {
        this.enrolment.set(null);
        this.recoveryCodes.set(codes);
        this.load();
      },
    );
  }

  protected regenerate(): void {
    this.managing.submit(
      this.codeForm,
      'Enter the current code from your app.',
      () => this.factors.regenerateRecoveryCodes(this.codeForm.getRawValue().code),
      (codes) => {
        this.codeForm.reset();
        this.recoveryCodes.set(codes);
        this.load();
      },
    );
  }

  protected remove(): void {
    this.managing.submit(
      this.codeForm,
      'Enter the current code from your app.',
      () => this.factors.removeTotp({ code: this.codeForm.getRawValue().code }),
      (s) => {
        this.codeForm.reset();
        this.summary.set(s);
      },
    );
  }
}
