import { HttpErrorResponse } from '@angular/common/http';
import { Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { SERVER_UNAVAILABLE } from '@latchkey/angular';

import { ProgressService, UserProgress } from './progress.service';

/** What the page shows when the progress cannot be loaded; null for 401 (the session ends). */
export function progressErrorMessage(error: unknown): string | null {
  const status = error instanceof HttpErrorResponse ? error.status : -1;
  if (status === 401) {
    return null; // the interceptor ends the session and opens the login page
  }
  if (status === 403) {
    return 'The server refused: this page is for administrators.';
  }
  if (status === 0 || status >= 500) {
    return SERVER_UNAVAILABLE;
  }
  return `The progress could not be loaded (HTTP ${status}).`;
}

/** `/admin` (role admin): every user's completed lessons. The route guard only hides; the API decides. */
@Component({
  selector: 'app-admin',
  template: `
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Everyone's progress</h1>
      @if (loading()) {
        <p class="muted" role="status">Loading progress…</p>
      } @else if (error(); as message) {
        <p class="error" role="alert" data-testid="admin-error">{{ message }}</p>
      } @else {
        <table class="progress-table" data-testid="admin-progress">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Completed lessons</th>
            </tr>
          </thead>
          <tbody>
            @for (row of rows(); track row.user) {
              <tr data-testid="admin-progress-row">
                <td class="user">{{ row.user }}</td>
                <td>{{ row.completed.join(', ') }}</td>
              </tr>
            } @empty {
              <tr>
                <td colspan="2" class="muted">No lesson completed yet.</td>
              </tr>
            }
          </tbody>
        </table>
      }
    </section>
  `,
})
export class AdminPage {
  protected readonly rows = signal<readonly UserProgress[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);

  constructor() {
    inject(ProgressService)
      .everyone()
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe({
        next: (rows) => {
          this.rows.set(rows);
          this.loading.set(false);
        },
        error: (err: unknown) => {
          this.loading.set(false);
          this.error.set(progressErrorMessage(err));
        },
      });
  }
}
