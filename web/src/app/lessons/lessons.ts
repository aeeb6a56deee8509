import { HttpErrorResponse } from '@angular/common/http';
import { Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';

import { SERVER_UNAVAILABLE } from '../core/http-errors';
import { Lesson, LessonsService } from './lessons.service';

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
          this.lessons.set(Array.isArray(lessons) ? lessons : []);
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
}
