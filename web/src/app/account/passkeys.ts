import { DatePipe } from '@angular/common';
import { Component, OnInit, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Passkey, PasskeyService, accountErrorMessage, passkeysSupported } from '@latchkey/angular';

import { FormSubmission } from './form-submission';

/**
 * The Account page's passkeys: the ones the user has (name, when added), a named new one (the
 * browser's dialog creates it on this device or a security key), and removing one (it no longer
 * signs in).
 */
@Component({
  selector: 'app-passkeys',
  imports: [ReactiveFormsModule, DatePipe],
  template: `
    <h2>Passkeys</h2>
    <p>
      A passkey signs you in without a password, or as the second step after it. Your device checks
      it is you (fingerprint, face or screen lock).
    </p>
    @if (loadError(); as message) {
      <p class="error" role="alert" data-testid="passkeys-load-error">{{ message }}</p>
    }
    @if (passkeys(); as list) {
      @if (list.length === 0) {
        <p data-testid="passkeys-empty">No passkeys yet.</p>
      } @else {
        <ul class="passkeys" data-testid="passkey-list">
          @for (passkey of list; track passkey.id) {
            <li data-testid="passkey-item">
              <span data-testid="passkey-name">{{ passkey.name }}</span>
              <small>
                added {{ passkey.createdAt | date: 'medium' }}
                @if (passkey.lastUsedAt) {
                  · last used {{ passkey.lastUsedAt | date: 'medium' }}
                }
              </small>
              <button
                type="button"
                class="link-button"
                data-testid="passkey-remove"
                [attr.aria-label]="'Remove passkey ' + passkey.name"
                [disabled]="removing.pending()"
                (click)="remove(passkey)"
              >
                Remove
              </button>
            </li>
          }
        </ul>
      }
      @if (removing.error(); as message) {
        <p class="error" role="alert" data-testid="passkey-error">{{ message }}</p>
      }
    }
    @if (supported) {
      <form [formGroup]="form" (ngSubmit)="add()" novalidate>
        <label for="passkey-name">Name of the new passkey</label>
        <input
          id="passkey-name"
          type="text"
          formControlName="name"
          maxlength="64"
          placeholder="e.g. Work laptop"
          required
          data-testid="passkey-new-name"
        />
        @if (adding.error(); as message) {
          <p class="error" role="alert" data-testid="passkey-error">{{ message }}</p>
        }
        <button
          type="submit"
          class="primary"
          data-testid="passkey-add"
          [disabled]="adding.pending()"
          [attr.aria-busy]="adding.pending()"
        >
          {{ adding.pending() ? 'Waiting for your device…' : 'Add a passkey' }}
        </button>
      </form>
    } @else {
      <p class="notice" data-testid="passkeys-unsupported">This browser cannot use passkeys.</p>
    }
  `,
})
export class PasskeysSection implements OnInit {
  private readonly passkeyService = inject(PasskeyService);
  protected readonly supported = passkeysSupported();
  protected readonly passkeys = signal<readonly Passkey[] | null>(null);
  protected readonly loadError = signal<string | null>(null);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group({
    name: ['', [Validators.required, Validators.maxLength(64)]],
  });
  protected readonly adding = new FormSubmission();
  protected readonly removing = new FormSubmission();

  ngOnInit(): void {
    this.load();
  }

  private load(): void {
    this.passkeyService.list().subscribe({
      next: (list) => {
        this.loadError.set(null);
        this.passkeys.set(list);
      },
      error: (err: unknown) => this.loadError.set(accountErrorMessage(err)),
    });
  }

  protected add(): void {
    this.adding.submit(
      this.form,
      'Give the passkey a name, to tell it apart later.',
      () => this.passkeyService.add(this.form.getRawValue().name),
      () => {
        this.form.reset();
        this.load();
      },
    );
  }

  protected remove(passkey: Passkey): void {
    this.removing.submit(
      this.fb.group({}),
      '',
      () => this.passkeyService.remove(passkey.id),
      (left) => this.passkeys.set(left),
    );
  }
}
