import { Alert, Button, Card, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import type { Organization } from '@medsec/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, patch, post } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';

export const OrganizationPage = () => {
  const { t } = useTranslation();
  const { can, session, reload } = useSession();
  const manage = can('org:manage');
  const org = useLoad(() => get<Organization>('/api/v1/organization'), [session?.organization.id]);
  const [name, setName] = useState('');
  const [policy, setPolicy] = useState('admins');
  const [newOrg, setNewOrg] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (org.data) {
      setName(org.data.name);
      setPolicy(org.data.mfaPolicy);
    }
  }, [org.data]);
  const save = async () => {
    setError(null);
    setSaved(false);
    try {
      await patch('/api/v1/organization', { name, mfaPolicy: policy });
      setSaved(true);
      await reload();
    } catch (err) {
      setError(err);
    }
  };
  const create = async () => {
    setError(null);
    try {
      await post('/api/v1/organizations', { name: newOrg });
      setNewOrg('');
      await reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title={t('org.title')}>
      <Card withBorder>
        <Stack>
          <TextInput
            label={t('common.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            disabled={!manage}
          />
          <Radio.Group
            label={t('org.mfaPolicy')}
            description={t('org.policyHelp')}
            value={policy}
            onChange={setPolicy}
          >
            <Stack gap="xs" mt="xs">
              {(['optional', 'admins', 'all'] as const).map((p) => (
                <Radio
                  key={p}
                  value={p}
                  label={t(`org.policy_${p}`)}
                  description={t(`org.policyHelp_${p}`)}
                  disabled={!manage}
                  data-testid={`org-policy-${p}`}
                />
              ))}
            </Stack>
          </Radio.Group>
          {saved && (
            <Alert color="teal" data-testid="org-saved">
              {t('org.saved')}
            </Alert>
          )}
          <ErrorAlert error={error ?? org.error} />
          {manage && (
            <Button onClick={() => void save()} w="fit-content" data-testid="org-save">
              {t('common.save')}
            </Button>
          )}
        </Stack>
      </Card>
      {manage && (
        <Card withBorder>
          <Stack>
            <Title order={4}>{t('org.newOrg')}</Title>
            <Text size="sm" c="dimmed">
              {t('org.newOrgHelp')}
            </Text>
            <TextInput
              label={t('common.name')}
              value={newOrg}
              onChange={(e) => setNewOrg(e.currentTarget.value)}
            />
            <Button disabled={!newOrg.trim()} onClick={() => void create()} w="fit-content">
              {t('common.create')}
            </Button>
          </Stack>
        </Card>
      )}
    </Page>
  );
};
