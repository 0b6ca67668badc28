/**
 * The Studio part of a scenario (domains, user profiles, spaces, apps) and notebook lifecycle
 * configs: reference checks and resolution, kept apart from scenario.ts so it stays readable.
 */
import type { RawScenario } from "./scenario-schema.ts";
import type { SbIdleShutdown, SbNotebookLifecycleConfig, Scenario } from "./types.ts";

type RawSageMaker = RawScenario["sagemaker"];

function duplicates(names: string[]): string | undefined {
  return names.find((n, i) => names.indexOf(n) !== i);
}

/** Problems with how Studio resources refer to each other, with their paths. */
export function studioIssues(sm: RawSageMaker): string[] {
  const issues: string[] = [];
  const st = sm.studio;
  const domains = new Set(st.domains.map((d) => d.id));
  const profiles = new Set(st.userProfiles.map((p) => `${p.domainId}/${p.name}`));
  const spaces = new Set(st.spaces.map((s) => `${s.domainId}/${s.name}`));
  const dupDomain = duplicates(st.domains.map((d) => d.id));
  if (dupDomain) issues.push(`sagemaker.studio.domains: duplicate id "${dupDomain}"`);
  const dupProfile = duplicates(st.userProfiles.map((p) => `${p.domainId}/${p.name}`));
  if (dupProfile) issues.push(`sagemaker.studio.userProfiles: duplicate "${dupProfile}"`);
  const dupSpace = duplicates(st.spaces.map((s) => `${s.domainId}/${s.name}`));
  if (dupSpace) issues.push(`sagemaker.studio.spaces: duplicate "${dupSpace}"`);
  const dupLc = duplicates(sm.notebookLifecycleConfigs.map((c) => c.name));
  if (dupLc) issues.push(`sagemaker.notebookLifecycleConfigs: duplicate name "${dupLc}"`);

  const needDomain = (where: string, id: string) => {
    if (!domains.has(id)) issues.push(`${where}.domainId: no domain "${id}"`);
  };
  st.userProfiles.forEach((p, i) => {
    needDomain(`sagemaker.studio.userProfiles.${i}`, p.domainId);
  });
  st.spaces.forEach((s, i) => {
    const where = `sagemaker.studio.spaces.${i}`;
    needDomain(where, s.domainId);
    if (s.ownerUserProfileName && !profiles.has(`${s.domainId}/${s.ownerUserProfileName}`)) {
      issues.push(
        `${where}.ownerUserProfileName: no user profile "${s.ownerUserProfileName}" in ${s.domainId}`,
      );
    }
  });
  const appKeys: string[] = [];
  st.apps.forEach((a, i) => {
    const where = `sagemaker.studio.apps.${i}`;
    needDomain(where, a.domainId);
    if ((a.userProfileName === undefined) === (a.spaceName === undefined)) {
      issues.push(`${where}: needs exactly one of userProfileName and spaceName`);
    }
    if (a.userProfileName && !profiles.has(`${a.domainId}/${a.userProfileName}`)) {
      issues.push(`${where}.userProfileName: no user profile "${a.userProfileName}" in ${a.domainId}`);
    }
    if (a.spaceName && !spaces.has(`${a.domainId}/${a.spaceName}`)) {
      issues.push(`${where}.spaceName: no space "${a.spaceName}" in ${a.domainId}`);
    }
    if (a.status !== "Deleted") {
      appKeys.push(`${a.domainId}/${a.spaceName ?? a.userProfileName}/${a.appType}/${a.appName}`);
    }
  });
  const dupApp = duplicates(appKeys);
  if (dupApp) issues.push(`sagemaker.studio.apps: two live apps "${dupApp}"`);
  return issues;
}

function idle(raw: RawSageMaker["studio"]["domains"][number]["idleShutdown"]): SbIdleShutdown {
  const out: SbIdleShutdown = {};
  for (const t of ["JupyterLab", "CodeEditor"] as const) {
    const s = raw[t];
    if (s) out[t] = { ...s };
  }
  return out;
}

const b64 = (text: string | undefined) =>
  text === undefined ? undefined : Buffer.from(text, "utf8").toString("base64");

export function buildStudio(
  sm: RawSageMaker,
  at: (text: string) => number,
  now: number,
): {
  notebookLifecycleConfigs: SbNotebookLifecycleConfig[];
  studio: Scenario["sagemaker"]["studio"];
} {
  const atOr = (text: string | undefined, fallback: number) => (text === undefined ? fallback : at(text));
  return {
    notebookLifecycleConfigs: sm.notebookLifecycleConfigs.map((c) => {
      const created = at(c.created);
      const onStart = b64(c.onStart);
      const onCreate = b64(c.onCreate);
      return {
        name: c.name,
        ...(onStart !== undefined && { onStart }),
        ...(onCreate !== undefined && { onCreate }),
        creationTime: created,
        lastModifiedTime: created,
      };
    }),
    studio: {
      domains: sm.studio.domains.map((d) => ({
        id: d.id,
        name: d.name,
        status: d.status,
        creationTime: at(d.created),
        lastModifiedTime: atOr(d.lastModified, at(d.created)),
        idleShutdown: idle(d.idleShutdown),
        tags: { ...d.tags },
      })),
      userProfiles: sm.studio.userProfiles.map((p) => ({
        domainId: p.domainId,
        name: p.name,
        status: p.status,
        creationTime: at(p.created),
        lastModifiedTime: atOr(p.lastModified, at(p.created)),
        idleShutdown: idle(p.idleShutdown),
        tags: { ...p.tags },
      })),
      spaces: sm.studio.spaces.map((s) => ({
        domainId: s.domainId,
        name: s.name,
        status: s.status,
        creationTime: at(s.created),
        lastModifiedTime: atOr(s.lastModified, at(s.created)),
        ...(s.ownerUserProfileName !== undefined && { ownerUserProfileName: s.ownerUserProfileName }),
        ...(s.appType !== undefined && { appType: s.appType }),
        tags: { ...s.tags },
      })),
      apps: sm.studio.apps.map((a) => ({
        domainId: a.domainId,
        ...(a.userProfileName !== undefined && { userProfileName: a.userProfileName }),
        ...(a.spaceName !== undefined && { spaceName: a.spaceName }),
        appType: a.appType,
        appName: a.appName,
        status: a.status,
        ...(a.instanceType !== undefined && { instanceType: a.instanceType }),
        creationTime: at(a.created),
        lastUserActivityTime: atOr(a.lastUserActivity, now),
        tags: { ...a.tags },
      })),
    },
  };
}
