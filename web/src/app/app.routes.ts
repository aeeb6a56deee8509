import { Routes } from '@angular/router';

import { CallbackPage } from './callback/callback';
import { authGuard, signupEnabledGuard } from './core/auth.guard';
import { LessonsPage } from './lessons/lessons';
import { LoginPage } from './login/login';
import { SignupPage } from './signup/signup';

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'lessons' },
  {
    path: 'login',
    title: 'Log in · Latchkey',
    component: LoginPage,
  },
  {
    path: 'auth/callback',
    title: 'Logging in · Latchkey',
    component: CallbackPage,
  },
  {
    path: 'signup',
    title: 'Sign up · Latchkey',
    canActivate: [signupEnabledGuard],
    component: SignupPage,
  },
  {
    path: 'lessons',
    title: 'Lessons · Latchkey',
    canActivate: [authGuard],
    component: LessonsPage,
  },
  { path: '**', redirectTo: 'lessons' },
];
