import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { ConfigService } from '../core/app-config';

/** One user's row of `GET /api/admin/progress`: the token subject and the completed lesson ids. */
export interface UserProgress {
  readonly user: string;
  readonly completed: readonly number[];
}

/** `{subject: [lesson ids]}` as rows sorted by user; entries of another shape are left out. */
export function progressRows(body: unknown): UserProgress[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return [];
  }
  return Object.entries(body as Record<string, unknown>)
    .filter(([, ids]) => Array.isArray(ids))
    .map(([user, ids]) => ({
      user,
      completed: (ids as unknown[]).filter((id): id is number => typeof id === 'number'),
    }))
    .sort((a, b) => a.user.localeCompare(b.user));
}

@Injectable({ providedIn: 'root' })
export class ProgressService {
  private readonly http = inject(HttpClient);
  private readonly config = inject(ConfigService);

  /** Every user's completions; the API answers 403 unless the session has role admin. */
  everyone(): Observable<UserProgress[]> {
    return this.http
      .get<unknown>(`${this.config.value.apiUrl}/api/admin/progress`)
      .pipe(map(progressRows));
  }
}
