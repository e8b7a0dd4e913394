import { Alert, Badge, Center, Group, Input, Loader, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Fragment, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { SlaReport } from '../../../../contract/sla.ts';
import { api, ApiError, qs } from '../../app/api.ts';
import { formatNumber } from '../../app/format.ts';
import type { Me } from '../auth/session.ts';
import { readableDimmed } from '../admin/DirectoryList.tsx';
import { OrganizationSelect, useOrganizationNames } from '../admin/fields.tsx';
import { COMPLIANCE_FAIR, COMPLIANCE_GOOD, complianceColor, groupByOrganization, type Period, periodRange, type ReportRow } from './sla-report.ts';

/** `/console/reports/sla`: SLA compliance per organization and priority over a period (incidents reported in it). */
export default function SlaReportPage(_: { me: Me }) {
  const { t, i18n } = useTranslation();
  const [period, setPeriod] = useState<Period>('this');
  const [custom, setCustom] = useState(() => ({ from: localDate(new Date(new Date().getFullYear(), new Date().getMonth(), 1)), to: localDate(new Date()) }));
  const [orgId, setOrgId] = useState<string | null>(null);
  const orgName = useOrganizationNames();
  // "Now" is taken once per period choice, so the query key stays put while the page is open.
  const range = useMemo(() => periodRange(period, new Date(), custom), [period, custom]);
  const report = useQuery({
    queryKey: ['reports', 'sla', range, orgId],
    queryFn: ({ signal }) => api<z.infer<typeof SlaReport>>(`/reports/sla${qs({ ...range!, orgId: orgId ?? undefined })}`, { signal }),
    enabled: range !== null,
    placeholderData: keepPreviousData,
  });
  const groups = useMemo(
    () => groupByOrganization(report.data?.rows ?? [], (a, b) => orgName(a).localeCompare(orgName(b), i18n.language)),
    [report.data, orgName, i18n.language],
  );

  useEffect(() => {
    document.title = `${t('slaReport.title')} · Vigie`;
  }, [t]);

  return (
    <Stack style={readableDimmed}>
      <Title order={1} size="h2">
        {t('slaReport.title')}
      </Title>
      <Group align="flex-end" wrap="wrap" role="search" aria-label={t('slaReport.filters')}>
        <Input.Wrapper label={t('slaReport.period')} labelElement="div" labelProps={{ id: 'sla-report-period' }}>
          <SegmentedControl
            display="flex"
            aria-labelledby="sla-report-period"
            value={period}
            onChange={(v) => setPeriod(v as Period)}
            data={[
              { value: 'this', label: t('slaReport.thisMonth') },
              { value: 'last', label: t('slaReport.lastMonth') },
              { value: 'custom', label: t('slaReport.custom') },
            ]}
          />
        </Input.Wrapper>
        {period === 'custom' && (
          <>
            <TextInput type="date" label={t('slaReport.from')} value={custom.from} max={custom.to || undefined} onChange={(e) => setCustom((c) => ({ ...c, from: e.currentTarget.value }))} />
            <TextInput
              type="date"
              label={t('slaReport.to')}
              value={custom.to}
              min={custom.from || undefined}
              onChange={(e) => setCustom((c) => ({ ...c, to: e.currentTarget.value }))}
              error={range === null ? t('slaReport.badRange') : undefined}
            />
          </>
        )}
        <OrganizationSelect label={t('field.orgId')} placeholder={t('admin.sla.allOrganizations')} value={orgId} onChange={setOrgId} />
      </Group>

      {range && (
        <Text size="sm" c="dimmed">
          {t('slaReport.covering', { period: periodLabel(range, i18n.language) })}
        </Text>
      )}

      {range === null ? null : report.isPending ? (
        <Center p="xl">
          <Loader role="status" aria-label={t('common.loading')} />
        </Center>
      ) : report.isError ? (
        <Alert color="red" role="alert">
          {report.error instanceof ApiError ? report.error.detail : t('common.error')}
        </Alert>
      ) : groups.length === 0 ? (
        <Text c="dimmed" py="lg">
          {t('slaReport.empty')}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={860}>
            <Table withTableBorder verticalSpacing="xs" data-testid="sla-report" aria-label={t('slaReport.title')} aria-busy={report.isFetching}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('field.orgId')}</Table.Th>
                  <Table.Th scope="col">{t('field.priority')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('slaReport.incidents')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('slaReport.ttoMet')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('slaReport.ttoBreached')}
                  </Table.Th>
                  <Table.Th scope="col">{t('slaReport.ttoCompliance')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('slaReport.ttrMet')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('slaReport.ttrBreached')}
                  </Table.Th>
                  <Table.Th scope="col">{t('slaReport.ttrCompliance')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              {groups.map((g) => (
                <Table.Tbody key={g.orgId} data-testid="sla-report-org">
                  {g.rows.map((r) => (
                    <Row key={r.priority} row={r} org={orgName(r.orgId)} label={t(`priority.${r.priority}`)} />
                  ))}
                  {g.rows.length > 1 && <Row row={g.total} org={orgName(g.orgId)} label={t('slaReport.allPriorities')} total />}
                </Table.Tbody>
              ))}
            </Table>
          </Table.ScrollContainer>
          <Text size="sm" c="dimmed">
            {t('slaReport.legend', { good: COMPLIANCE_GOOD, fair: COMPLIANCE_FAIR })}
          </Text>
        </>
      )}
    </Stack>
  );
}

function Row({ row: r, org, label, total = false }: { row: ReportRow; org: string; label: string; total?: boolean }) {
  const cell = (n: number) => (
    <Table.Td ta="right" fw={total ? 700 : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
      {formatNumber(n)}
    </Table.Td>
  );
  return (
    <Table.Tr data-testid="sla-report-row" bg={total ? 'gray.0' : undefined}>
      <Table.Th scope="row" fw={total ? 700 : 500}>
        {org}
      </Table.Th>
      <Table.Td fw={total ? 700 : undefined}>{label}</Table.Td>
      {cell(r.incidents)}
      {cell(r.ttoMet)}
      {cell(r.ttoBreached)}
      <Table.Td>
        <Compliance value={r.ttoCompliance} />
      </Table.Td>
      {cell(r.ttrMet)}
      {cell(r.ttrBreached)}
      <Table.Td>
        <Compliance value={r.ttrCompliance} />
      </Table.Td>
    </Table.Tr>
  );
}

/** A percentage colored against the thresholds; "—" while no incident of the row has a verdict. */
function Compliance({ value }: { value: number | null }) {
  const { t, i18n } = useTranslation();
  if (value === null) {
    return (
      <Text size="sm" c="dimmed" component="span" title={t('slaReport.noVerdict')}>
        —<span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>{t('slaReport.noVerdict')}</span>
      </Text>
    );
  }
  return (
    <Badge
      color={complianceColor(value)}
      variant="light"
      // The light variant's text is under 4.5:1 on its own background; a darker shade of the same color reaches it.
      styles={{ label: { color: `color-mix(in srgb, var(--mantine-color-${complianceColor(value)}-9), black 40%)` } }}
      data-compliance={complianceColor(value)}
    >
      {new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 }).format(value / 100)}
    </Badge>
  );
}

/** "1 – 30 November 2026" (the end is excluded by the API: the day before is shown). */
function periodLabel(range: { from: string; to: string }, language: string): string {
  const from = new Date(range.from);
  const lastDay = new Date(new Date(range.to).getTime() - 1);
  return new Intl.DateTimeFormat(language, { dateStyle: 'long' }).formatRange(from, lastDay);
}

/** `YYYY-MM-DD` of a local date, for date inputs. */
function localDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
