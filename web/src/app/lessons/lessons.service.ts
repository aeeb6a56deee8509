import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { ConfigService } from '../core/app-config';

/** One entry of `GET /api/lessons`. */
export interface Lesson {
  readonly id: number;
  readonly title: string;
  readonly summary: string;
  readonly minutes: number;
  /** Whether the user has marked the lesson completed; a missing field means false. */
  readonly completed: boolean;
}

/** The answer of `PUT`/`DELETE /api/lessons/{id}/completion`. */
export interface LessonCompletion {
  readonly id: number;
  readonly completed: boolean;
}

@Injectable({ providedIn: 'root' })
export class LessonsService {
  private readonly http = inject(HttpClient);
  private readonly config = inject(ConfigService);

  /** The lessons; the interceptor adds the session. */
  list(): Observable<Lesson[]> {
    return this.http
      .get<Partial<Lesson>[]>(`${this.config.value.apiUrl}/api/lessons`)
      .pipe(
        map((lessons) =>
          Array.isArray(lessons)
            ? lessons.map(
                (lesson) => ({ ...lesson, completed: lesson.completed === true }) as Lesson,
              )
            : [],
        ),
      );
  }

  /**
   * Marks a lesson completed (`PUT`) or not (`DELETE`). Both are unsafe methods, so the
   * session travels as `Authorization: Bearer` (body mode) or cookie + `X-XSRF-TOKEN`
   * (cookie mode).
   */
  setCompleted(id: number, completed: boolean): Observable<LessonCompletion> {
    const url = `${this.config.value.apiUrl}/api/lessons/${encodeURIComponent(id)}/completion`;
    const request = completed
      ? this.http.put<Partial<LessonCompletion> | null>(url, null)
      : this.http.delete<Partial<LessonCompletion> | null>(url);
    return request.pipe(
      map((body) => ({
        id,
        completed: typeof body?.completed === 'boolean' ? body.completed : completed,
      })),
    );
  }
}
