import { Alert, Badge, Group, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { SlaReport } from '../../../../contract/sla.ts';
import { api, qs } from '../../app/api.ts';
import { formatNumber } from '../../app/format.ts';
import type { Me } from '../auth/session.ts';
import { OrganizationSelect, useOrganizationNames } from '../admin/fields.tsx';

type Period = 'this' | 'last' | 'custom';

/** SLA compliance per organization and priority over a period (incidents reported in it). */
export default function SlaReportPage(_: { me: Me }) {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<Period>('this');
  const [custom, setCustom] = useState({ from: monthStart(0).slice(0, 10), to: new Date().toISOString().slice(0, 10) });
  const [orgId, setOrgId] = useState<string | null>(null);
  const orgName = useOrganizationNames();
  const range =
    period === 'this'
      ? { from: monthStart(0), to: monthStart(1) }
      : period === 'last'
        ? { from: monthStart(-1), to: monthStart(0) }
        : { from: new Date(`${custom.from}T00:00:00`).toISOString(), to: new Date(`${custom.to}T00:00:00`).toISOString() };
  const report = useQuery({
    queryKey: ['reports', 'sla', range, orgId],
    queryFn: () => api<z.infer<typeof SlaReport>>(`/reports/sla${qs({ ...range, orgId: orgId ?? undefined })}`),
  });

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('slaReport.title')}
      </Title>
      <Group align="flex-end" wrap="wrap">
        <SegmentedControl
          aria-label={t('slaReport.period')}
          value={period}
          onChange={(v) => setPeriod(v as Period)}
          data={[
            { value: 'this', label: t('slaReport.thisMonth') },
            { value: 'last', label: t('slaReport.lastMonth') },
            { value: 'custom', label: t('slaReport.custom') },
          ]}
        />
        {period === 'custom' && (
          <>
            <TextInput type="date" label={t('slaReport.from')} value={custom.from} onChange={(e) => setCustom((c) => ({ ...c, from: e.currentTarget.value }))} />
            <TextInput type="date" label={t('slaReport.to')} value={custom.to} onChange={(e) => setCustom((c) => ({ ...c, to: e.currentTarget.value }))} />
          </>
        )}
        <OrganizationSelect label={t('field.orgId')} value={orgId} onChange={setOrgId} />
      </Group>
      {report.isError && <Alert color="red">{(report.error as Error).message}</Alert>}
      {report.data && report.data.rows.length === 0 && <Text c="dimmed">{t('slaReport.empty')}</Text>}
      {report.data && report.data.rows.length > 0 && (
        <Table striped withTableBorder data-testid="sla-report">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('field.orgId')}</Table.Th>
              <Table.Th scope="col">{t('field.priority')}</Table.Th>
              <Table.Th scope="col">{t('slaReport.incidents')}</Table.Th>
              <Table.Th scope="col">{t('slaReport.ttoMet')}</Table.Th>
              <Table.Th scope="col">{t('slaReport.ttoBreached')}</Table.Th>
              <Table.Th scope="col">{t('slaReport.ttoCompliance')}</Table.Th>
              <Table.Th scope="col">{t('slaReport.ttrMet')}</Table.Th>
              <Table.Th scope="col">{t('slaReport.ttrBreached')}</Table.Th>
              <Table.Th scope="col">{t('slaReport.ttrCompliance')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.data.rows.map((r) => (
              <Table.Tr key={`${r.orgId}-${r.priority}`}>
                <Table.Td>{orgName(r.orgId)}</Table.Td>
                <Table.Td>{t(`priority.${r.priority}`)}</Table.Td>
                <Table.Td>{formatNumber(r.incidents)}</Table.Td>
                <Table.Td>{formatNumber(r.ttoMet)}</Table.Td>
                <Table.Td>{formatNumber(r.ttoBreached)}</Table.Td>
                <Table.Td><Compliance value={r.ttoCompliance} /></Table.Td>
                <Table.Td>{formatNumber(r.ttrMet)}</Table.Td>
                <Table.Td>{formatNumber(r.ttrBreached)}</Table.Td>
                <Table.Td><Compliance value={r.ttrCompliance} /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function Compliance({ value }: { value: number | null }) {
  if (value === null) return <Text size="sm" c="dimmed">—</Text>;
  const color = value >= 95 ? 'green' : value >= 80 ? 'orange' : 'red';
  return (
    <Badge color={color} variant="light" autoContrast>
      {new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(value)} %
    </Badge>
  );
}

/** The first instant of this month shifted by `delta` months, in the browser's time zone. */
function monthStart(delta: number): string {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth() + delta, 1).toISOString();
}
