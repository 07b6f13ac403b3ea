import '@mantine/core/styles.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app/app.tsx';
import { SessionProvider } from './app/session.tsx';
import './i18n/index.ts';

const theme = createTheme({
  primaryColor: 'teal',
  fontFamily: "'Noto Sans KR', 'Pretendard', system-ui, -apple-system, 'Segoe UI', sans-serif",
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme}>
        <BrowserRouter>
          <SessionProvider>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </MantineProvider>
    </StrictMode>,
  );
}
