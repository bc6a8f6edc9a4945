/** Entry: picks the language from the browser and mounts the app. */
// First: zod must be configured before any schema is built (see the file).
import '../../protocol/zod-jitless';
import { render } from 'preact';
import { App } from './app';
import { pickLanguage } from './i18n/index';

const language = pickLanguage(navigator.languages);
document.documentElement.lang = language.code;
document.documentElement.dir = language.direction;
const root = document.getElementById('app');
if (root !== null) render(<App initial={language} />, root);
