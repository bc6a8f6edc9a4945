/** Entry: mounts the console. */
// First: zod must be configured before any schema is built (see the file).
import '../../protocol/zod-jitless';
import { render } from 'preact';
import { App } from './app';

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
