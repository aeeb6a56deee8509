import { Routes } from '@angular/router';

import { authGuard, hostedLoginCallbackGuard } from '@latchkey/angular';

import { signupEnabledGuard } from './core/signup-enabled.guard';
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
    canActivate: [hostedLoginCallbackGuard],
    children: [],
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
