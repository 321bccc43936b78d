/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The console lives at /console/ everywhere: the standalone service serves dist/console/ there, and in Azure the Static
// Web App serves dist/ (dist/console/ and the staticwebapp.config.json beside it). `npm run dev` proxies the API.
export default defineConfig({
  base: '/console/',
  plugins: [vue()],
  server: { proxy: { '/api': 'http://localhost:7071' } },
  build: { outDir: 'dist/console', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  test: { environment: 'happy-dom' },
})
