import { HttpErrorResponse } from '@angular/common/http';
import { Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { SERVER_UNAVAILABLE } from '@latchkey/angular';

import { Lesson, LessonsService } from './lessons.service';

export const XSRF_REFUSED = 'The server refused the change (missing XSRF token).';

/** What the page shows when marking a lesson (un)completed fails; null for 401. */
export function lessonActionErrorMessage(error: unknown): string | null {
  const status = error instanceof HttpErrorResponse ? error.status : -1;
  if (status === 401) {
    return null; // the interceptor ends the session and opens the login page
  }
  if (status === 403) {
    return XSRF_REFUSED;
  }
  if (status === 0 || status >= 500) {
    return SERVER_UNAVAILABLE;
  }
  return `The change could not be saved (HTTP ${status}).`;
}

@Component({
  selector: 'app-lessons',
  templateUrl: './lessons.html',
})
export class LessonsPage {
  private readonly lessonsService = inject(LessonsService);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly lessons = signal<readonly Lesson[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  /** Ids of the lessons whose completion request is in flight. */
  protected readonly pending = signal<ReadonlySet<number>>(new Set());
  protected readonly actionError = signal<string | null>(null);

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.lessonsService
      .list()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (lessons) => {
          this.lessons.set(lessons);
          this.loading.set(false);
        },
        error: (err: unknown) => {
          this.loading.set(false);
          const status = err instanceof HttpErrorResponse ? err.status : -1;
          this.error.set(
            status === 0 || status >= 500
              ? SERVER_UNAVAILABLE
              : `The lessons could not be loaded (HTTP ${status}).`,
          );
        },
      });
  }

  /** Marks the lesson completed, or un-marks it (`PUT`/`DELETE …/completion`). */
  protected toggleCompleted(lesson: Lesson): void {
    const id = lesson.id;
    if (this.pending().has(id)) {
      return;
    }
    this.actionError.set(null);
    this.setPending(id, true);
    this.lessonsService
      .setCompleted(id, !lesson.completed)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ completed }) => {
          this.setPending(id, false);
          this.lessons.update((lessons) =>
            lessons.map((l) => (l.id === id ? { ...l, completed } : l)),
          );
        },
        error: (err: unknown) => {
          this.setPending(id, false);
          this.actionError.set(lessonActionErrorMessage(err));
        },
      });
  }

  private setPending(id: number, inFlight: boolean): void {
    this.pending.update((ids) => {
      const next = new Set(ids);
      if (inFlight) {
        next.add(id);
      } else {
        next.delete(id);
      }
      return next;
    });
  }
}
