import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/dist/index.css'
import './styles/page.css'
import App from './App.vue'
import { configureClient } from './api/client'
import { router } from './router'
import { useSession } from './stores/session'

const app = createApp(App)
app.use(createPinia())
const session = useSession()
configureClient(() => session.token, () => session.expire())
session.onExpired(() => router.push({ name: 'login', query: { reason: 'expired' } }))
app.use(router)
app.mount('#app')
