import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';
import { applyTheme, readThemeChoice, themeInForce } from './theme/theme';

// Before the first paint: no flash of the wrong theme in a dark room.
applyTheme(themeInForce(readThemeChoice()));

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
