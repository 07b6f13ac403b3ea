import { Button, Group, Modal, Stack, Stepper, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { post } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { emptyProfile, getServiceModel, type Product, type ProductProfile } from './products-api.ts';
import {
  emptyIdentity,
  type Identity,
  IdentityFields,
  identityBody,
  isIdentityComplete,
  ProfileFields,
  ProfileSummary,
} from './profile-form.tsx';

/** "New product": identity → profile → review → create; applicability is decided by the server at once. */
export const ProductWizard = ({ opened, onClose }: { opened: boolean; onClose: () => void }) => {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [step, setStep] = useState(0);
  const [identity, setIdentity] = useState<Identity>(emptyIdentity);
  const [profile, setProfile] = useState<ProductProfile>(emptyProfile);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const model = useLoad(getServiceModel, []);
  const close = () => {
    setStep(0);
    setIdentity(emptyIdentity());
    setProfile(emptyProfile());
    setError(null);
    onClose();
  };
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const product = await post<Product>('/api/v1/products', { ...identityBody(identity), profile });
      close();
      void navigate(`/products/${product.id}?tab=applicability`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const canNext = step !== 0 || isIdentityComplete(identity);
  return (
    <Modal opened={opened} onClose={close} title={t('products.new')} size="xl" data-testid="product-wizard">
      <Stack>
        <Stepper active={step} onStepClick={(s) => (s < step ? setStep(s) : undefined)} size="sm">
          <Stepper.Step label={t('products.stepIdentity')}>
            <IdentityFields value={identity} onChange={setIdentity} />
          </Stepper.Step>
          <Stepper.Step label={t('products.stepProfile')}>
            <Text size="sm" c="dimmed" mb="sm">
              {t('products.profileHelp')}
            </Text>
            <ProfileFields value={profile} onChange={setProfile} model={model.data} />
          </Stepper.Step>
          <Stepper.Step label={t('products.stepReview')}>
            <Stack gap="xs" data-testid="wizard-review">
              <Title order={4}>
                {identity.name} · {identity.model}
              </Title>
              <Text size="sm">
                {identity.manufacturer}
                {identity.importer ? ` / ${identity.importer}` : ''}
                {identity.grade ? ` · ${t('products.gradeN', { n: identity.grade })}` : ''}
              </Text>
              {identity.intendedUse && <Text size="sm">{identity.intendedUse}</Text>}
              <ProfileSummary value={profile} model={model.data} />
              <Text size="sm" c="dimmed">
                {t('products.reviewHelp')}
              </Text>
            </Stack>
          </Stepper.Step>
        </Stepper>
        <ErrorAlert error={error ?? model.error} />
        <Group justify="space-between">
          <Button
            variant="default"
            disabled={step === 0}
            onClick={() => setStep(step - 1)}
            data-testid="wizard-back"
          >
            {t('common.back')}
          </Button>
          {step < 2 ? (
            <Button disabled={!canNext} onClick={() => setStep(step + 1)} data-testid="wizard-next">
              {t('common.next')}
            </Button>
          ) : (
            <Button loading={busy} onClick={() => void create()} data-testid="wizard-create">
              {t('products.create')}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
};
