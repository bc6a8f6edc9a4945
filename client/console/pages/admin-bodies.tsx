/**
 * The bodies, whether each one's signed directory matches its investigators' keys, and what the
 * signed directory holds, verified here against the keys pinned in this build.
 */
import { useEffect, useState } from 'preact/hooks';
import { listBodies } from '../api/admin-api';
import { bodyDirectory } from '../api/cases-api';
import type { AdminBody, BodyDirectoryAnswer } from '../../../protocol/console-api/index';
import { compareDirectory, verifyServedDirectory, type DirectoryComparison } from '../directory';
import { t } from '../strings';
import { ErrorMessage } from '../ui/error-message';
import { PageHeading } from '../ui/page-heading';
import { useServices } from '../ui/services';
import { useAction } from '../ui/use-action';

interface ShownDirectory {
  readonly body: AdminBody;
  readonly served: BodyDirectoryAnswer;
  readonly serial: number;
  readonly issuedOn: string;
  readonly expiresOn: string;
  readonly signerKey: string;
  readonly comparison: DirectoryComparison;
}

function DirectoryDetails(props: { shown: ShownDirectory }) {
  const { shown } = props;
  return (
    <section aria-labelledby="directory-heading" class="panel" data-testid="directory">
      <h2 id="directory-heading">{t('bodies.directoryOf', { name: shown.body.name })}</h2>
      <p>{t('bodies.verified', { serial: shown.serial, issued: shown.issuedOn, expires: shown.expiresOn })}</p>
      <p>
        {t('bodies.signer')} <code>{shown.signerKey}</code>
      </p>
      <table>
        <caption>{t('bodies.signedRecipients')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('bodies.label')}</th>
            <th scope="col">{t('bodies.role')}</th>
            <th scope="col">{t('bodies.fingerprint')}</th>
            <th scope="col">{t('bodies.investigator')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.comparison.signed.map((recipient) => (
            <tr key={recipient.fingerprint}>
              <td>{recipient.label}</td>
              <td>{recipient.role ?? t('bodies.noRole')}</td>
              <td>
                <code>{recipient.fingerprint}</code>
              </td>
              <td>{recipient.username ?? t('bodies.noCurrentKey')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.comparison.unsigned.length > 0 && (
        <>
          <h3>{t('bodies.unsigned')}</h3>
          <ul>
            {shown.comparison.unsigned.map((person) => (
              <li key={person.fingerprint}>
                {person.username}: <code>{person.fingerprint}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      {!shown.served.inSync && <p class="warning">{t('bodies.resign')}</p>}
    </section>
  );
}

export function AdminBodies() {
  const { http, directoryTrust } = useServices();
  const [bodies, setBodies] = useState<readonly AdminBody[]>([]);
  const [shown, setShown] = useState<ShownDirectory | null>(null);
  const action = useAction();

  useEffect(() => {
    void action.run(async () => setBodies(await listBodies(http)));
  }, []);

  const show = (body: AdminBody) =>
    void action.run(async () => {
      setShown(null);
      const served = await bodyDirectory(http, body.id);
      const verified = await verifyServedDirectory(body.id, served, directoryTrust);
      setShown({
        body,
        served,
        serial: verified.serial,
        issuedOn: verified.document.issuedOn,
        expiresOn: verified.document.expiresOn,
        signerKey: verified.signerKey,
        comparison: compareDirectory(verified, served.investigators),
      });
    });

  return (
    <section aria-labelledby="bodies-heading">
      <PageHeading id="bodies-heading" title={t('bodies.heading')} />
      <ErrorMessage error={action.error} />
      <table data-testid="bodies-table">
        <caption class="visually-hidden">{t('bodies.heading')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('bodies.name')}</th>
            <th scope="col">{t('bodies.id')}</th>
            <th scope="col">{t('bodies.directory')}</th>
            <th scope="col">{t('admin.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {bodies.map((body) => (
            <tr key={body.id}>
              <th scope="row">{body.name}</th>
              <td>
                <code>{body.id}</code>
              </td>
              <td>{body.inSync ? t('bodies.inSync') : <span class="marker overdue">{t('bodies.outOfSync')}</span>}</td>
              <td>
                <button type="button" disabled={action.busy} aria-label={t('bodies.showNamed', { name: body.name })} onClick={() => show(body)}>
                  {t('bodies.show')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown && <DirectoryDetails shown={shown} />}
    </section>
  );
}
