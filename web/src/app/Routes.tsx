import { Center, Loader } from '@mantine/core';
import { type ComponentType, lazy, Suspense, useEffect } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { isStaff, useMe } from '../features/auth/session.ts';
import { Layout } from './Layout.tsx';

// Each area loads on demand, so the first screen ships only what it shows.
const PortalHome = lazyPage(() => import('../features/portal/PortalHome.tsx'));
const PortalIncident = lazyPage(() => import('../features/portal/PortalIncident.tsx'));
const QueuePage = lazyPage(() => import('../features/console/QueuePage.tsx'));
const ConsoleIncident = lazyPage(() => import('../features/console/ConsoleIncident.tsx'));
const LogCallPage = lazyPage(() => import('../features/console/LogCallPage.tsx'));
const AdminPage = lazyPage(() => import('../features/admin/AdminPage.tsx'));
const SlaReportPage = lazyPage(() => import('../features/console/SlaReportPage.tsx'));
const AccountPage = lazyPage(() => import('../features/account/AccountPage.tsx'));

// A page opened by its address starts downloading now, while /me is asked, rather than after it.
const BY_ADDRESS: [RegExp, { preload(): void }][] = [
  [/^\/console\/incidents\//, ConsoleIncident],
  [/^\/console\/call$/, LogCallPage],
  [/^\/console\/reports\/sla$/, SlaReportPage],
  [/^\/console\/?$/, QueuePage],
  [/^\/admin\//, AdminPage],
  [/^\/portal\/incidents\//, PortalIncident],
  [/^\/portal\/?$/, PortalHome],
  [/^\/account$/, AccountPage],
];
BY_ADDRESS.find(([re]) => re.test(window.location.pathname))?.[1].preload();

const loading = (
  <Center p="xl">
    <Loader role="status" aria-label="…" />
  </Center>
);

export function Routes() {
  const me = useMe();
  const staff = me.data ? isStaff(me.data) : null;
  // Once signed in, the area's two main pages load in the background: opening an incident from a list then shows no spinner.
  useEffect(() => {
    if (staff === null) return;
    for (const page of staff ? [QueuePage, ConsoleIncident] : [PortalHome, PortalIncident]) page.preload();
  }, [staff]);
  if (me.isPending) return loading;
  if (!me.data) return <LoginPage />;
  const home = isStaff(me.data) ? '/console' : '/portal';
  return (
    <Layout me={me.data}>
      <Suspense fallback={loading}>
        <Switch>
          <Route path="/">
            <Redirect to={home} />
          </Route>
          <Route path="/portal">{() => <PortalHome me={me.data!} />}</Route>
          <Route path="/portal/incidents/:id">{(p) => <PortalIncident id={p.id} me={me.data!} />}</Route>
          <Route path="/account">{() => <AccountPage me={me.data!} />}</Route>
          {isStaff(me.data) && (
            <>
              <Route path="/console">{() => <QueuePage me={me.data!} />}</Route>
              <Route path="/console/call">{() => <LogCallPage me={me.data!} />}</Route>
              <Route path="/console/reports/sla">{() => <SlaReportPage me={me.data!} />}</Route>
              <Route path="/console/incidents/:id">{(p) => <ConsoleIncident id={p.id} me={me.data!} />}</Route>
              <Route path="/admin/:section">{(p) => <AdminPage section={p.section} me={me.data!} />}</Route>
            </>
          )}
          <Route>
            <Redirect to={home} />
          </Route>
        </Switch>
      </Suspense>
    </Layout>
  );
}

/**
 * React.lazy, plus preload(). Once the chunk is loaded the component renders at once: React suspends on a
 * lazy component until its promise settles, and React 19 then holds the revealed page back for up to 300 ms
 * (Suspense fallback throttling), which a page whose code is already here should not pay.
 */
function lazyPage<P extends object>(load: () => Promise<{ default: ComponentType<P> }>) {
  let loaded: { default: ComponentType<P> } | undefined;
  let pending: Promise<{ default: ComponentType<P> }> | undefined;
  const get = () =>
    (pending ??= load().then(
      (m) => (loaded = m),
      (e: unknown) => {
        pending = undefined;
        throw e;
      },
    ));
  // A thenable that calls back synchronously when the chunk is already here, so React never suspends.
  const Page = lazy(() => (loaded ? ({ then: (resolve: (m: { default: ComponentType<P> }) => void) => resolve(loaded!) } as unknown as Promise<{ default: ComponentType<P> }>) : get()));
  return Object.assign(Page, { preload: () => void get().catch(() => undefined) });
}
