import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { isStaff, useMe } from '../features/auth/session.ts';
import { Layout } from './Layout.tsx';

// Each area loads on demand, so the first screen ships only what it shows.
const PortalHome = lazy(() => import('../features/portal/PortalHome.tsx'));
const PortalIncident = lazy(() => import('../features/portal/PortalIncident.tsx'));
const QueuePage = lazy(() => import('../features/console/QueuePage.tsx'));
const ConsoleIncident = lazy(() => import('../features/console/ConsoleIncident.tsx'));
const LogCallPage = lazy(() => import('../features/console/LogCallPage.tsx'));
const AdminPage = lazy(() => import('../features/admin/AdminPage.tsx'));

const loading = (
  <Center p="xl">
    <Loader aria-label="…" />
  </Center>
);

export function Routes() {
  const me = useMe();
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
          {isStaff(me.data) && (
            <>
              <Route path="/console">{() => <QueuePage me={me.data!} />}</Route>
              <Route path="/console/call">{() => <LogCallPage me={me.data!} />}</Route>
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
