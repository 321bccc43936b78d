/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The standalone service serves the build at /console/; `npm run dev` proxies the API to it.
export default defineConfig({
  base: '/console/',
  plugins: [vue()],
  server: { proxy: { '/api': 'http://localhost:7071' } },
  build: { chunkSizeWarningLimit: 1500 },
  test: { environment: 'happy-dom' },
})
