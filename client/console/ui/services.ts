/** What every console page needs, given once by the app: the HTTP client, the keys, the decrypted cases. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ConsoleHttp } from '../api/http';
import type { DecryptedCases } from '../decrypted-cases';
import type { DirectoryTrust } from '../directory';
import type { Keyring } from '../keyring';

export interface ConsoleServices {
  readonly http: ConsoleHttp;
  readonly keyring: Keyring;
  readonly decrypted: DecryptedCases;
  /** The directory pins compiled into this build, and the newest directory serials this browser verified. */
  readonly directoryTrust: DirectoryTrust;
}

export const ServicesContext = createContext<ConsoleServices | null>(null);

export function useServices(): ConsoleServices {
  const services = useContext(ServicesContext);
  if (services === null) throw new Error('useServices outside the console app');
  return services;
}
