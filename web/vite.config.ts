import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app is served by the Vigie server from web/dist; `npm run dev:web` proxies the API to :8080.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  // server/src/http/web-app.ts replaces this placeholder in index.html with each response's style nonce
  // (Content-Security-Policy); Vite writes it in a <meta property="csp-nonce">, which App.tsx hands to Mantine.
  html: { cspNonce: 'VIGIE_CSP_NONCE' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
