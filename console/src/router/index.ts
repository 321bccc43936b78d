import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { ElMessage } from 'element-plus'
import type { StaffRole } from '../api/types'
import { roleNames } from '../domain/labels'
import ConsoleLayout from '../layout/ConsoleLayout.vue'
import { useSession } from '../stores/session'

declare module 'vue-router' {
  interface RouteMeta {
    /** The roles a page is for; the others are sent to their own start page. */
    roles?: StaffRole[]
    /** The page's entry in the side menu, when it has one. */
    menu?: string
    title?: string
  }
}

/** The pages inside the console's frame. Supervisor, dashboard and administrator pages join this list with their roles. */
export const consolePages: RouteRecordRaw[] = [
  {
    path: 'review/:stage(first-review|final-review)',
    name: 'queue',
    component: () => import('../pages/review/QueuePage.vue'),
    meta: { roles: ['reviewer'], title: '待审核' },
  },
  {
    path: 'review/cases/:id',
    name: 'case',
    component: () => import('../pages/review/CasePage.vue'),
    meta: { roles: ['reviewer'], title: '案件审核' },
  },
  {
    path: 'review/stops',
    name: 'stop-report',
    component: () => import('../pages/review/StopReportPage.vue'),
    meta: { roles: ['reviewer'], title: '就近报告' },
  },
  {
    path: 'notifications/undelivered',
    name: 'undelivered-sms',
    component: () => import('../pages/review/UndeliveredPage.vue'),
    meta: { roles: ['reviewer', 'supervisor'], title: '短信未送达' },
  },
  {
    path: 'review/cross-checks',
    name: 'cross-checks',
    component: () => import('../pages/review/CrossCheckMatchesPage.vue'),
    meta: { roles: ['reviewer', 'supervisor'], title: '比对核查' },
  },
  {
    path: 'supervisor/overview',
    name: 'supervisor-overview',
    component: () => import('../pages/supervisor/OverviewPage.vue'),
    meta: { roles: ['supervisor'], title: '各机构办理情况' },
  },
  {
    path: 'supervisor/staffing',
    name: 'supervisor-staffing',
    component: () => import('../pages/supervisor/StaffingPage.vue'),
    meta: { roles: ['supervisor'], title: '在岗人数与分派' },
  },
  {
    path: 'supervisor/rechecks',
    name: 'supervisor-rechecks',
    component: () => import('../pages/supervisor/RechecksPage.vue'),
    meta: { roles: ['supervisor'], title: '二次审核' },
  },
  // Dashboard and administrator pages (issue 11).
  {
    path: 'dashboard',
    name: 'dashboard',
    component: () => import('../pages/dashboard/DashboardPage.vue'),
    meta: { roles: ['supervisor', 'administrator'], title: '统计看板' },
  },
  {
    path: 'admin/registry-import',
    name: 'registry-import',
    component: () => import('../pages/admin/RegistryImportPage.vue'),
    meta: { roles: ['administrator'], title: '参保数据导入' },
  },
  {
    path: 'admin/payout-runs',
    name: 'payout-runs',
    component: () => import('../pages/admin/PayoutRunsPage.vue'),
    meta: { roles: ['administrator'], title: '待遇发放批次' },
  },
  {
    path: 'admin/recovery-cases',
    name: 'recovery-cases',
    component: () => import('../pages/admin/RecoveryCasesPage.vue'),
    meta: { roles: ['administrator'], title: '待遇追回' },
  },
  {
    path: 'admin/funds',
    name: 'funds',
    component: () => import('../pages/admin/FundLedgerPage.vue'),
    meta: { roles: ['administrator'], title: '基金账务' },
  },
  {
    path: 'admin/notifications',
    name: 'notifications',
    component: () => import('../pages/admin/NotificationsPage.vue'),
    meta: { roles: ['administrator'], title: '短信记录' },
  },
  {
    path: 'admin/outreach-campaigns',
    name: 'outreach-campaigns',
    component: () => import('../pages/admin/OutreachCampaignsPage.vue'),
    meta: { roles: ['administrator'], title: '主动服务' },
  },
  {
    path: 'admin/workflows',
    name: 'workflows',
    component: () => import('../pages/admin/WorkflowsPage.vue'),
    meta: { roles: ['administrator'], title: '流程监控' },
  },
]

/** The side menu: each entry a working page, shown to the roles it is for. */
export const menu: { title: string; to: string; roles: StaffRole[] }[] = [
  { title: '初审待办', to: '/review/first-review', roles: ['reviewer'] },
  { title: '复核待办', to: '/review/final-review', roles: ['reviewer'] },
  { title: '就近报告', to: '/review/stops', roles: ['reviewer'] },
  { title: '各机构办理情况', to: '/supervisor/overview', roles: ['supervisor'] },
  { title: '在岗人数与分派', to: '/supervisor/staffing', roles: ['supervisor'] },
  { title: '二次审核', to: '/supervisor/rechecks', roles: ['supervisor'] },
  { title: '比对核查', to: '/review/cross-checks', roles: ['reviewer', 'supervisor'] },
  // Dashboard and administrator pages (issue 11).
  { title: '统计看板', to: '/dashboard', roles: ['supervisor', 'administrator'] },
  { title: '参保数据导入', to: '/admin/registry-import', roles: ['administrator'] },
  { title: '待遇发放批次', to: '/admin/payout-runs', roles: ['administrator'] },
  { title: '待遇追回', to: '/admin/recovery-cases', roles: ['administrator'] },
  { title: '基金账务', to: '/admin/funds', roles: ['administrator'] },
  { title: '短信记录', to: '/admin/notifications', roles: ['administrator'] },
  { title: '主动服务', to: '/admin/outreach-campaigns', roles: ['administrator'] },
  { title: '流程监控', to: '/admin/workflows', roles: ['administrator'] },
  { title: '短信未送达', to: '/notifications/undelivered', roles: ['reviewer', 'supervisor'] },
]

/** Where a role starts; null when the console has no page for it yet. */
export function startPage(role: StaffRole): string | null {
  return menu.find((entry) => entry.roles.includes(role))?.to ?? null
}

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('../pages/login/LoginPage.vue'), meta: { title: '登录' } },
  { path: '/', component: ConsoleLayout, children: consolePages },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes })

router.beforeEach((to) => {
  const session = useSession()
  if (to.name === 'login') return session.isActive() && session.staff ? startPage(session.staff.role) ?? true : true
  if (!session.isActive() || !session.staff) {
    const expired = session.staff !== null
    session.signOut()
    return {
      name: 'login',
      query: { ...(expired ? { reason: 'expired' } : {}), ...(to.fullPath === '/' ? {} : { redirect: to.fullPath }) },
    }
  }
  const roles = to.meta.roles
  if (!roles || !roles.includes(session.staff.role)) {
    if (roles && to.meta.title) ElMessage.error(`${roleNames[session.staff.role]}账号无权使用“${to.meta.title}”页面`)
    const start = startPage(session.staff.role)
    if (start && start !== to.path) return start
    session.signOut()
    return { name: 'login' }
  }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 通办经办工作台` : '通办经办工作台'
})
