/** Administration of accounts: create one (its one-time password shown once), disable, reset a second factor. */
import { useEffect, useState } from 'preact/hooks';
import { createAccount, disableAccount, listAccounts, listBodies, resetSecondFactor } from '../api/admin-api';
import type { AccountRole, AdminAccount, AdminBody } from '../../../protocol/console-api/index';
import { t } from '../strings';
import { ErrorMessage } from '../ui/error-message';
import { PageHeading } from '../ui/page-heading';
import { useServices } from '../ui/services';
import { SubmitActions } from '../ui/submit-actions';
import { useAction } from '../ui/use-action';

/** A password shown once: for whom, and what to tell them. */
interface Handover {
  readonly username: string;
  readonly oneTimePassword: string;
}

function HandoverNotice(props: { handover: Handover }) {
  return (
    <div class="notice" role="status" data-testid="one-time-password">
      <p>{t('admin.oneTimePassword', { username: props.handover.username })}</p>
      <p>
        <code class="secret">{props.handover.oneTimePassword}</code>
      </p>
      <p class="help">{t('admin.oneTimePasswordHelp')}</p>
    </div>
  );
}

function CreateAccountForm(props: { bodies: readonly AdminBody[]; onCreated: (handover: Handover) => Promise<void> }) {
  const { http } = useServices();
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<AccountRole>('investigator');
  const [bodies, setBodies] = useState<readonly string[]>([]);
  const action = useAction();
  const toggle = (id: string, checked: boolean) => setBodies(checked ? [...bodies, id] : bodies.filter((body) => body !== id));
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const name = username.trim().toLowerCase();
      const created = await createAccount(http, { username: name, role, bodies: role === 'investigator' ? [...bodies] : [] });
      setUsername('');
      setBodies([]);
      await props.onCreated({ username: name, oneTimePassword: created.oneTimePassword });
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="create-account-heading">
      <h2 id="create-account-heading">{t('admin.createAccount')}</h2>
      <label for="new-username">{t('admin.username')}</label>
      <p id="new-username-help" class="help">
        {t('admin.usernameHelp')}
      </p>
      <input id="new-username" autocomplete="off" autocapitalize="none" spellcheck={false} aria-describedby="new-username-help" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
      <label for="new-role">{t('admin.role')}</label>
      <select id="new-role" value={role} onChange={(e) => setRole(e.currentTarget.value as AccountRole)}>
        <option value="investigator">{t('role.investigator')}</option>
        <option value="admin">{t('role.admin')}</option>
      </select>
      {role === 'investigator' && (
        <fieldset>
          <legend>{t('admin.accountBodies')}</legend>
          {props.bodies.map((body) => (
            <label class="choice" key={body.id}>
              <input type="checkbox" checked={bodies.includes(body.id)} onChange={(e) => toggle(body.id, e.currentTarget.checked)} />
              {body.name}
            </label>
          ))}
        </fieldset>
      )}
      <ErrorMessage error={action.error} />
      <SubmitActions label={t('admin.create')} disabled={action.busy} />
    </form>
  );
}

type Pending = { readonly accountId: string; readonly what: 'disable' | 'reset' };

export function AdminAccounts() {
  const { http } = useServices();
  const [accounts, setAccounts] = useState<readonly AdminAccount[]>([]);
  const [bodies, setBodies] = useState<readonly AdminBody[]>([]);
  const [handover, setHandover] = useState<Handover | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const action = useAction();

  const refresh = async () => setAccounts(await listAccounts(http));
  useEffect(() => {
    void action.run(async () => {
      setBodies(await listBodies(http));
      await refresh();
    });
  }, []);

  const confirm = (account: AdminAccount, what: Pending['what']) =>
    void action.run(async () => {
      setPending(null);
      if (what === 'disable') await disableAccount(http, account.id);
      else setHandover({ username: account.username, oneTimePassword: (await resetSecondFactor(http, account.id)).oneTimePassword });
      await refresh();
    });
  const bodyNames = (ids: readonly string[]) => ids.map((id) => bodies.find((body) => body.id === id)?.name ?? id).join(', ');
  const factors = (account: AdminAccount) =>
    [account.secondFactors.totp ? t('admin.factorApp') : null, account.secondFactors.webauthn > 0 ? t('admin.factorKeys', { count: account.secondFactors.webauthn }) : null]
      .filter((text) => text !== null)
      .join(', ') || t('admin.factorNone');

  return (
    <section aria-labelledby="accounts-heading">
      <PageHeading id="accounts-heading" title={t('admin.accountsHeading')} />
      <ErrorMessage error={action.error} />
      {handover && <HandoverNotice handover={handover} />}
      <table class="accounts" data-testid="accounts-table">
        <caption class="visually-hidden">{t('admin.accountsHeading')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.username')}</th>
            <th scope="col">{t('admin.role')}</th>
            <th scope="col">{t('admin.accountBodies')}</th>
            <th scope="col">{t('admin.secondFactors')}</th>
            <th scope="col">{t('admin.state')}</th>
            <th scope="col">{t('admin.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((account) => (
            <tr key={account.id}>
              <th scope="row">{account.username}</th>
              <td>{t(`role.${account.role}`)}</td>
              <td>{bodyNames(account.bodies)}</td>
              <td>{factors(account)}</td>
              <td>{account.disabledOn === null ? t('admin.active') : t('admin.disabledOn', { day: account.disabledOn })}</td>
              <td>
                {pending?.accountId === account.id ? (
                  <span class="confirm">
                    {t(pending.what === 'disable' ? 'admin.confirmDisable' : 'admin.confirmReset', { username: account.username })}{' '}
                    <button type="button" class="danger" disabled={action.busy} onClick={() => confirm(account, pending.what)}>
                      {t('admin.confirm')}
                    </button>{' '}
                    <button type="button" onClick={() => setPending(null)}>
                      {t('admin.cancel')}
                    </button>
                  </span>
                ) : (
                  account.disabledOn === null && (
                    <span class="row-actions">
                      <button type="button" aria-label={t('admin.resetNamed', { username: account.username })} onClick={() => setPending({ accountId: account.id, what: 'reset' })}>
                        {t('admin.reset')}
                      </button>{' '}
                      <button type="button" aria-label={t('admin.disableNamed', { username: account.username })} onClick={() => setPending({ accountId: account.id, what: 'disable' })}>
                        {t('admin.disable')}
                      </button>
                    </span>
                  )
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <CreateAccountForm
        bodies={bodies}
        onCreated={async (created) => {
          setHandover(created);
          await refresh();
        }}
      />
    </section>
  );
}
