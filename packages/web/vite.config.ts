import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The SPA is served by the MedSec server from packages/web/dist; `npm run dev -w @medsec/web` proxies the API.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://localhost:8080', '/healthz': 'http://localhost:8080' } },
});
