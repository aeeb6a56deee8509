import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';

import { ConfigService } from '../core/app-config';

/** One entry of `GET /api/lessons`. */
export interface Lesson {
  readonly id: number;
  readonly title: string;
  readonly summary: string;
  readonly minutes: number;
}

@Injectable({ providedIn: 'root' })
export class LessonsService {
  private readonly http = inject(HttpClient);
  private readonly config = inject(ConfigService);

  /** The lessons; the interceptor adds the session. */
  list(): Observable<Lesson[]> {
    return this.http.get<Lesson[]>(`${this.config.value.apiUrl}/api/lessons`);
  }
}
