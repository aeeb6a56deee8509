import { ApplicationConfig, inject, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { provideLatchkey } from '@latchkey/angular';

import { routes } from './app.routes';
import { ConfigService, latchkeyOptions } from './core/app-config';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes, withComponentInputBinding()),
    // The demo's settings come from its server's /config.json, read once at start-up.
    provideLatchkey(() => {
      const config = inject(ConfigService);
      return config.load().then(latchkeyOptions);
    }),
  ],
};
