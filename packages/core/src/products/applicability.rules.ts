import { type InterfaceKind, type ProductProfile, WIRELESS_INTERFACES } from './products.schemas.ts';

/**
 * Applicability: which catalog provisions apply to a product, decided from its profile alone (pure, no I/O).
 *
 * Only MFDS 2025 articles, clauses and items and KISA requirements get a decision; definitions, checks, guidance,
 * threats and references do not. For one entry the most specific rule that speaks wins (a rule naming the entry's
 * ref beats one naming its KISA group, which beats one naming a family of groups; equal ones: the earlier in
 * APPLICABILITY_RULES). An entry no rule speaks for takes its parent's decision (an item follows its clause or
 * article); an entry with neither takes DEFAULT_RULE: applicable.
 *
 * Reading of the seeds (001 = MFDS guideline, 000 = KISA model) behind the rules, where the text sets a condition:
 * - art. 12 "(인공지능기술이 적용된 디지털의료기기에 한한다)"; art. 6(3) and its guidance "개인정보를 수집·보유·이용하지
 *   않는 경우 … 해당사항 없음"; art. 8 item 3 "전용망 … 전송선로(시리얼, USB 연결 등) … 해당사항 없음"; art. 3(3)
 *   "일반구역, 병원 외 일반 사용자 환경 … 해당사항 없음"; art. 4 item 1 "유ㆍ무선 네트워크 사용 시".
 * - art. 10 and KISA 5.1.1 require the device to provide an update function (seed 001 "디지털의료기기는 업데이트
 *   기능을 제공하여야 함"; service-visit updates count), so update provisions apply with or without a declared
 *   update mechanism; without one the reason names the gap.
 * - art. 15 binds from development (①: design for after the end of support) and release (②: announce the expected
 *   schedule), so it applies whether or not end-of-life/end-of-support dates are set; the dates go in the reason.
 * - Where the healthcare provider is the actor, the manufacturer supports it through the user manual (Ch. II.1
 *   "보안 활동 수행 방법", seed 001 lines 3524–3531), so those clauses stay applicable.
 */

/** A catalog entry as the rules see it (the columns of a catalog requirement they read). */
export interface ApplicabilityEntry {
  ref: string;
  framework: string;
  kind: string;
  article: number | null;
  clause: number | null;
  item: number | null;
  group: string | null;
  parentRef: string | null;
}

/** One decision, with the rule that made it, the clause it rests on and a reason that names the profile fact. */
export interface ApplicabilityDecision {
  ref: string;
  applicable: boolean;
  ruleId: string;
  basis: string;
  reasonEn: string;
  reasonKo: string;
}

/** A change of one decision between two profiles; null where the entry is absent on that side. */
export interface ApplicabilityDiff {
  ref: string;
  from: boolean | null;
  to: boolean | null;
  reasonEn: string;
  reasonKo: string;
}

/** A profile fact as a reason names it, in English and Korean. */
export interface Bilingual {
  readonly en: string;
  readonly ko: string;
}

/** What a rule says about one entry. */
export interface RuleVerdict {
  readonly applicable: boolean;
  readonly fact: Bilingual;
}

/** The entries a rule speaks for: one ref, one KISA group, or every group whose key starts with a prefix. */
export type RuleTarget =
  | { readonly ref: string }
  | { readonly framework: string; readonly group: string }
  | { readonly framework: string; readonly groupPrefix: string };

/**
 * One applicability rule. `decide` is asked only about the entries its targets name; it returns undefined when it
 * does not speak (e.g. a KISA data-security rule for a product outside the KISA device scope), so a less specific
 * rule, the parent, or the default decides.
 */
export interface ApplicabilityRule {
  readonly id: string;
  /** The catalog ref of the clause the rule rests on. */
  readonly basis: string;
  readonly descriptionEn: string;
  readonly descriptionKo: string;
  readonly targets: readonly RuleTarget[];
  readonly decide: (profile: ProductProfile, entry: ApplicabilityEntry) => RuleVerdict | undefined;
}

const MFDS = 'mfds-2025';
const KISA = 'kisa-healthcare';

const mfds = (...paths: string[]): RuleTarget[] => paths.map((p) => ({ ref: `${MFDS}:${p}` }));
const kisa = (...ids: string[]): RuleTarget[] => ids.map((id) => ({ ref: `${KISA}:${id}` }));
const kisaGroup = (group: string): RuleTarget => ({ framework: KISA, group });
const kisaFamily = (groupPrefix: string): RuleTarget => ({ framework: KISA, groupPrefix });

const fact = (en: string, ko: string): Bilingual => ({ en, ko });
const yes = (f: Bilingual): RuleVerdict => ({ applicable: true, fact: f });
const no = (f: Bilingual): RuleVerdict => ({ applicable: false, fact: f });
const when = (condition: Bilingual | undefined, otherwise: Bilingual): RuleVerdict =>
  condition ? yes(condition) : no(otherwise);
const joinFacts = (facts: (Bilingual | undefined)[]): Bilingual | undefined => {
  const present = facts.filter((f): f is Bilingual => f !== undefined);
  return present.length === 0
    ? undefined
    : fact(present.map((f) => f.en).join(', '), present.map((f) => f.ko).join(', '));
};

// ---- profile facts ----

const ALL_PRODUCTS = fact('All digital medical devices (art. 2)', '모든 디지털의료기기(제2조)');
const kindsOf = (p: ProductProfile): InterfaceKind[] => [...new Set(p.interfaces.map((i) => i.kind))];
const listed = (p: ProductProfile, kinds: readonly InterfaceKind[]): string =>
  kindsOf(p)
    .filter((k) => kinds.includes(k))
    .join(', ');

/** Kinds that talk to a network by what they are, whatever interfaces are listed. */
const NETWORKED_KINDS: readonly ProductProfile['kind'][] = ['mobile-app', 'cloud-service', 'gateway'];

/** Why the product uses a wired or wireless network (art. 4 item 1), or undefined. 'other' counts, to be safe. */
const networkFact = (p: ProductProfile): Bilingual | undefined => {
  const wireless = listed(p, WIRELESS_INTERFACES);
  const wired = listed(p, ['ethernet', 'other']);
  return joinFacts([
    wireless ? fact(`wireless interfaces (${wireless})`, `무선 인터페이스(${wireless})`) : undefined,
    wired ? fact(`wired network interfaces (${wired})`, `유선 네트워크 인터페이스(${wired})`) : undefined,
    p.remoteAccess ? fact('remote access', '원격 접속') : undefined,
    NETWORKED_KINDS.includes(p.kind)
      ? fact(`kind ${p.kind}, networked by nature`, `제품 유형 ${p.kind}(본래 네트워크 연결)`)
      : undefined,
    p.deployment === 'customer-premises'
      ? undefined
      : fact(`deployment ${p.deployment}`, `배포 형태 ${p.deployment}`),
  ]);
};
const NO_NETWORK = fact(
  'No network interface, no remote access, not hosted',
  '네트워크 인터페이스·원격 접속·호스팅 없음',
);

/** Why the product exchanges data with other devices at all (network, or USB/serial links). */
const linkFact = (p: ProductProfile): Bilingual | undefined => {
  const wired = listed(p, ['usb', 'serial']);
  return joinFacts([
    networkFact(p),
    wired ? fact(`wired links (${wired})`, `유선 연결(${wired})`) : undefined,
  ]);
};
const NO_LINK = fact('No communication interface and not networked', '통신 인터페이스·네트워크 연결 없음');

/** Removable storage media and physical ports (art. 4 item 2). */
const portsFact = (p: ProductProfile): Bilingual | undefined =>
  joinFacts([
    p.hardwareWithExternalPorts
      ? fact('device hardware with external ports', '외부 포트가 있는 기기 하드웨어')
      : undefined,
    kindsOf(p).includes('usb') ? fact('a USB interface', 'USB 인터페이스') : undefined,
  ]);
const NO_PORTS = fact(
  'No device hardware with external ports and no USB interface',
  '외부 포트가 있는 하드웨어·USB 인터페이스 없음',
);

const AI = fact('Uses AI', '인공지능 사용');
const NO_AI = fact('Does not use AI', '인공지능 미사용');
const PERSONAL = fact('Processes personal or medical data', '개인정보·의료정보 처리');
const NO_PERSONAL = fact('No personal or medical data', '개인정보·의료정보 미처리');
const DATABASE = fact('Includes a database', '데이터베이스 포함');
const NO_DATABASE = fact('No database', '데이터베이스 없음');

const updateFact = (p: ProductProfile, gap: Bilingual): RuleVerdict =>
  yes(p.hasUpdateMechanism ? fact('Has an update mechanism', '업데이트 기능 있음') : gap);

/** Servers run for the service: a cloud service, or a product the manufacturer hosts in whole or part. */
const hostedFact = (p: ProductProfile): RuleVerdict =>
  p.kind === 'cloud-service' || p.deployment !== 'customer-premises'
    ? yes(
        fact(
          `Hosted service (kind ${p.kind}, deployment ${p.deployment})`,
          `호스팅 서비스(유형 ${p.kind}, 배포 ${p.deployment})`,
        ),
      )
    : no(fact(`On-premises ${p.kind}, not a hosted service`, `고객 설치형 ${p.kind}, 호스팅 서비스 아님`));

/**
 * KISA device requirements (seed 000 "디지털헬스케어 기기 보안요구사항") address the device: hardware, a commercial OS
 * that "상용 하드웨어 구성요소(마더보드 또는 컴퓨터)… 에서 실행될 수 있다", and management. Standalone software installed
 * on the customer's computers is such a device; hosted software, apps and cloud services have their own KISA sets.
 */
const kisaDevice = (p: ProductProfile): RuleVerdict => {
  switch (p.kind) {
    case 'embedded-software':
    case 'gateway':
      return yes(
        fact(`Kind ${p.kind} is a digital-healthcare device`, `제품 유형 ${p.kind}: 디지털헬스케어 기기`),
      );
    case 'standalone-software':
      return p.deployment === 'manufacturer-hosted'
        ? no(
            fact(
              'Standalone software hosted by the manufacturer (KISA web-service and infrastructure sets instead)',
              '제조사 호스팅 독립형 소프트웨어(KISA 웹 서비스·인프라 요구사항 대상)',
            ),
          )
        : yes(
            fact(
              `Standalone software installed on customer computers (deployment ${p.deployment})`,
              `고객 컴퓨터에 설치되는 독립형 소프트웨어(배포 ${p.deployment})`,
            ),
          );
    case 'mobile-app':
      return no(
        fact(
          'Kind mobile-app (KISA mobile-app set instead)',
          '제품 유형 mobile-app(KISA 모바일 앱 요구사항 대상)',
        ),
      );
    case 'cloud-service':
      return no(
        fact(
          'Kind cloud-service (KISA web-service and infrastructure sets instead)',
          '제품 유형 cloud-service(KISA 웹 서비스·인프라 요구사항 대상)',
        ),
      );
  }
};
/** Narrowing rules inside a scope speak only when the scope holds; otherwise the scope rule explains. */
const within = (scope: RuleVerdict, decide: () => RuleVerdict): RuleVerdict | undefined =>
  scope.applicable ? decide() : undefined;

// ---- the rules ----

/** The applicability rules, most general first. Each cites the catalog clause it rests on. */
export const APPLICABILITY_RULES: readonly ApplicabilityRule[] = [
  {
    id: 'mfds.general',
    basis: `${MFDS}:art-2`,
    descriptionEn:
      'Purpose and documentation of security activities: every product (art. 2 covers every digital medical device, with its accessories, interfaces and components).',
    descriptionKo:
      '목적 및 보안 활동의 문서화: 모든 제품(제2조는 액세서리·인터페이스·구성품을 포함한 모든 디지털의료기기 대상).',
    targets: mfds('art-1', 'art-2'),
    decide: () => yes(ALL_PRODUCTS),
  },
  {
    id: 'mfds.physical-environment',
    basis: `${MFDS}:art-3:cl-1`,
    descriptionEn:
      'Physical security (art. 3, with ① and ②): every product has a physical operating environment; home and mobile use get a minimal configuration through the user manual, device hardware also tamper protection.',
    descriptionKo:
      '물리적 보안(제3조 ①②): 모든 제품은 물리적 운영 환경이 있음; 가정·모바일 환경은 사용자 매뉴얼로 최소 구성, 기기 하드웨어는 물리적 변조 방지 포함.',
    targets: mfds('art-3'),
    decide: (p) =>
      yes(
        p.hardwareWithExternalPorts
          ? fact(
              'Device hardware with external ports: tamper protection and a secured operating environment',
              '외부 포트가 있는 기기 하드웨어: 물리적 변조 방지 및 운영 환경 보안',
            )
          : fact(
              `Every product has a physical operating environment (kind ${p.kind}); its configuration goes in the user manual`,
              `모든 제품은 물리적 운영 환경이 있음(유형 ${p.kind}); 보안 구성은 사용자 매뉴얼에 명시`,
            ),
      ),
  },
  {
    id: 'mfds.physical-key-facility',
    basis: `${MFDS}:art-3:cl-3`,
    descriptionEn:
      'Access control of key facilities (art. 3③): products in hospitals or server rooms; not for general areas and use outside hospitals (guidance: 해당사항 없음). Unknown site: assumed.',
    descriptionKo:
      '주요 시설 접근 통제(제3조③): 병원·전산실에 설치되는 제품; 일반구역·병원 외 사용은 해당사항 없음(해설). 설치 장소 미기재 시 적용으로 가정.',
    targets: mfds('art-3:cl-3'),
    decide: (p) => {
      if (p.deployment !== 'customer-premises') {
        return yes(
          fact(
            `Deployment ${p.deployment}: servers in a server room or data centre`,
            `배포 형태 ${p.deployment}: 전산실·데이터센터의 서버`,
          ),
        );
      }
      if (p.kind === 'mobile-app') {
        return no(
          fact(
            "Mobile app on users' phones, not in a key facility",
            '사용자 휴대폰의 모바일 앱, 주요 시설에 설치되지 않음',
          ),
        );
      }
      if (p.domains.includes('hospital') || p.domains.includes('service-provider')) {
        const sites = p.domains.filter((d) => d === 'hospital' || d === 'service-provider').join(', ');
        return yes(
          fact(
            `Used in ${sites} (restricted or controlled areas possible)`,
            `${sites}에서 사용(제한·통제구역 가능)`,
          ),
        );
      }
      if (p.domains.length === 0) {
        return yes(
          fact(
            'Installation site not stated (no service domain); a hospital restricted area is assumed',
            '설치 장소 미기재(서비스 도메인 없음) → 병원 제한구역으로 가정',
          ),
        );
      }
      return no(
        fact(
          `Used only in ${p.domains.join(', ')} (general areas outside hospitals)`,
          `${p.domains.join(', ')}에서만 사용(병원 외 일반 환경)`,
        ),
      );
    },
  },
  {
    id: 'mfds.secure-communication',
    basis: `${MFDS}:art-4`,
    descriptionEn:
      'Secure communication (art. 4): products that use a network or have removable-media ports.',
    descriptionKo: '보안 통신(제4조): 네트워크를 사용하거나 이동식 저장매체 포트가 있는 제품.',
    targets: mfds('art-4'),
    decide: (p) =>
      when(
        joinFacts([networkFact(p), portsFact(p)]),
        fact(
          'No network interface, not hosted and no external ports',
          '네트워크 인터페이스·호스팅·외부 포트 없음',
        ),
      ),
  },
  {
    id: 'mfds.network',
    basis: `${MFDS}:art-4:item-1`,
    descriptionEn:
      'Network security settings and encrypted channels (art. 4 items 1, 3): "유ㆍ무선 네트워크 사용 시" — products on a wired or wireless network.',
    descriptionKo:
      '네트워크 보안 설정 및 통신 구간 암호화(제4조제1호·제3호): 유ㆍ무선 네트워크를 사용하는 제품.',
    targets: mfds('art-4:item-1', 'art-4:item-3'),
    decide: (p) => when(networkFact(p), NO_NETWORK),
  },
  {
    id: 'mfds.removable-media',
    basis: `${MFDS}:art-4:item-2`,
    descriptionEn:
      'Physical restriction of removable media (art. 4 item 2): device hardware with external ports, or a USB interface.',
    descriptionKo:
      '이동식 저장매체 물리적 제한(제4조제2호): 외부 포트가 있는 기기 하드웨어 또는 USB 인터페이스.',
    targets: mfds('art-4:item-2'),
    decide: (p) => when(portsFact(p), NO_PORTS),
  },
  {
    id: 'mfds.security-system',
    basis: `${MFDS}:art-2:item-1`,
    descriptionEn:
      'Authorization, technical security, input validity, data security, keys, maintenance, monitoring (arts. 5–11): every product; narrower items have their own rules.',
    descriptionKo:
      '권한·기술적 보안·입력 유효성·데이터 보안·암호키·유지 관리·모니터링(제5조–제11조): 모든 제품; 조건이 있는 호는 개별 규칙.',
    targets: mfds('art-5', 'art-6', 'art-7', 'art-8', 'art-9', 'art-10', 'art-11'),
    decide: () => yes(ALL_PRODUCTS),
  },
  {
    id: 'mfds.device-authentication',
    basis: `${MFDS}:art-5:item-3`,
    descriptionEn:
      'Authentication of connecting devices (art. 5 item 3): products that exchange data with other devices or software.',
    descriptionKo: '미승인 기기 접근 제한(제5조제3호): 다른 기기·소프트웨어와 통신하는 제품.',
    targets: mfds('art-5:item-3'),
    decide: (p) => when(linkFact(p), NO_LINK),
  },
  {
    id: 'mfds.remote-access',
    basis: `${MFDS}:art-5:item-4`,
    descriptionEn:
      'Remote access blocked or restricted (art. 5 item 4): products with remote access (restrict it) or on a network (block it).',
    descriptionKo:
      '원격 접속 차단 또는 제한(제5조제4호): 원격 접속이 있는 제품(제한) 또는 네트워크 연결 제품(차단).',
    targets: mfds('art-5:item-4'),
    decide: (p) => {
      if (p.remoteAccess) {
        return yes(
          fact(
            'Remote access (restrict it to authorised users over secure channels)',
            '원격 접속 허용(인가된 사용자·보안 통신으로 제한)',
          ),
        );
      }
      const network = networkFact(p);
      return network
        ? yes(
            fact(
              `No remote access but networked (${network.en}): remote access must be blocked`,
              `원격 접속 없음, 네트워크 연결(${network.ko}): 원격 접속 차단 필요`,
            ),
          )
        : no(fact('No remote access and no network', '원격 접속·네트워크 연결 없음'));
    },
  },
  {
    id: 'mfds.personal-data',
    basis: `${MFDS}:art-6:cl-3`,
    descriptionEn:
      'Personal-data protection (art. 6③, art. 8 item 2 de-identification, art. 15⑤ safe removal): products that collect or store personal data ("수집·보유·이용하지 않는 경우 해당사항 없음").',
    descriptionKo:
      '개인정보 보호(제6조③, 제8조제2호 비식별화, 제15조⑤ 안전한 제거): 개인정보를 수집·보관하는 제품(미수집 시 해당사항 없음).',
    targets: mfds('art-6:cl-3', 'art-8:item-2', 'art-15:cl-5'),
    decide: (p) => (p.personalData ? yes(PERSONAL) : no(NO_PERSONAL)),
  },
  {
    id: 'mfds.database',
    basis: `${MFDS}:art-8:item-1`,
    descriptionEn:
      'Database security management (art. 8 item 1): products that include a database. (Art. 9 is key management, not databases.)',
    descriptionKo: '데이터베이스 보안 관리(제8조제1호): 데이터베이스를 포함하는 제품. (제9조는 암호키 관리.)',
    targets: mfds('art-8:item-1'),
    decide: (p) => (p.hasDatabase ? yes(DATABASE) : no(NO_DATABASE)),
  },
  {
    id: 'mfds.data-in-transit',
    basis: `${MFDS}:art-8:item-3`,
    descriptionEn:
      'Encryption between systems (art. 8 item 3): networked products; direct port links (serial, USB) are "해당사항 없음" by the guidance.',
    descriptionKo:
      '시스템 간 송수신 암호화(제8조제3호): 네트워크 연결 제품; 전송선로(시리얼·USB 직접 연결)는 해당사항 없음(해설).',
    targets: mfds('art-8:item-3'),
    decide: (p) => when(networkFact(p), NO_NETWORK),
  },
  {
    id: 'mfds.update',
    basis: `${MFDS}:art-10:item-1`,
    descriptionEn:
      'Update integrity and failed-update recovery (art. 10 items 1, 2): every product — the guidance requires an update function; without a declared mechanism the reason flags the gap.',
    descriptionKo:
      '업데이트 무결성 검증·실패 대응(제10조제1호·제2호): 모든 제품 — 해설이 업데이트 기능 제공을 요구; 기능 미기재 시 보완 필요로 표시.',
    targets: mfds('art-10:item-1', 'art-10:item-2'),
    decide: (p) =>
      updateFact(
        p,
        fact(
          'No update mechanism declared, yet the guidance requires one (service-visit updates count): a gap to close',
          '업데이트 기능 미기재: 해설은 업데이트 기능 제공을 요구함(서비스 방문 업데이트 포함) — 보완 필요',
        ),
      ),
  },
  {
    id: 'mfds.ai',
    basis: `${MFDS}:art-12`,
    descriptionEn: 'AI security (art. 12): "인공지능기술이 적용된 디지털의료기기에 한한다".',
    descriptionKo: '인공지능 보안(제12조): 인공지능기술이 적용된 디지털의료기기에 한함.',
    targets: mfds('art-12'),
    decide: (p) => (p.usesAi ? yes(AI) : no(NO_AI)),
  },
  {
    id: 'mfds.risk-management',
    basis: `${MFDS}:art-2:item-3`,
    descriptionEn: 'Risk management, development and verification, SBOM (arts. 13, 14, 16): every product.',
    descriptionKo: '위험 관리, 개발 및 검증, SBOM(제13조·제14조·제16조): 모든 제품.',
    targets: mfds('art-13', 'art-14', 'art-16'),
    decide: () => yes(ALL_PRODUCTS),
  },
  {
    id: 'mfds.legacy',
    basis: `${MFDS}:art-15:cl-1`,
    descriptionEn:
      'Legacy devices (art. 15): every product — ① binds at development and ② from release, so it applies whether or not end-of-life/end-of-support dates are set.',
    descriptionKo:
      '레거시 디지털의료기기(제15조): 모든 제품 — ①은 개발 시, ②는 출시 후부터 적용되므로 수명·지원 종료일 설정 여부와 무관.',
    targets: mfds('art-15'),
    decide: (p) => {
      const dates = joinFacts([
        p.endOfLife ? fact(`end of life ${p.endOfLife}`, `수명 종료 ${p.endOfLife}`) : undefined,
        p.endOfSupport ? fact(`end of support ${p.endOfSupport}`, `지원 종료 ${p.endOfSupport}`) : undefined,
      ]);
      return yes(
        dates
          ? fact(
              `Lifecycle dates set (${dates.en}): announce them and plan support after end of life`,
              `수명 주기 일정 설정(${dates.ko}): 안내 및 수명 종료 이후 지원 계획`,
            )
          : fact(
              'No end-of-life or end-of-support date set yet; binds from development and release (set and announce the expected dates)',
              '수명·지원 종료일 미설정; 개발·출시 시점부터 적용(예상 일정 설정·안내 필요)',
            ),
      );
    },
  },
  {
    id: 'mfds.incident-response',
    basis: `${MFDS}:art-2:item-4`,
    descriptionEn:
      'Response to electronic intrusion: plan, reporting, post-incident action (arts. 17–19): every product.',
    descriptionKo: '침해행위 대응 계획·신고·사후 조치(제17조–제19조): 모든 제품.',
    targets: mfds('art-17', 'art-18', 'art-19'),
    decide: () => yes(ALL_PRODUCTS),
  },
  {
    id: 'mfds.vulnerability-management',
    basis: `${MFDS}:art-2:item-4`,
    descriptionEn: 'Vulnerability monitoring, disclosure and remediation (arts. 20–22): every product.',
    descriptionKo: '취약점 감시·공개·조치(제20조–제22조): 모든 제품.',
    targets: mfds('art-20', 'art-21', 'art-22'),
    decide: () => yes(ALL_PRODUCTS),
  },
  {
    id: 'mfds.healthcare-provider',
    basis: `${MFDS}:art-2`,
    descriptionEn:
      'Clauses whose actor is the healthcare provider: applicable — the manufacturer supports them through the user manual (Ch. II.1 보안 활동 수행 방법).',
    descriptionKo:
      '의료서비스제공자가 주체인 항: 적용 — 제조업자는 사용자 매뉴얼로 이를 지원(Ⅱ.1 보안 활동 수행 방법).',
    targets: mfds(
      'art-11:cl-2',
      'art-13:cl-2',
      'art-16:cl-2',
      'art-18:cl-2',
      'art-19:cl-3',
      'art-20:cl-2',
      'art-20:cl-5',
      'art-22:cl-2',
    ),
    decide: () =>
      yes(
        fact(
          'The healthcare provider acts here; the manufacturer supports it through the user manual',
          '의료서비스제공자가 주체이며 제조업자는 사용자 매뉴얼로 이를 지원',
        ),
      ),
  },

  // KISA device requirements (dev-*, groups device-1..6)
  {
    id: 'kisa.device-scope',
    basis: `${KISA}:dev-1.1.1`,
    descriptionEn:
      'KISA device requirements (1.1.1–6.1.2): embedded software, gateways, and standalone software installed on customer computers.',
    descriptionKo:
      'KISA 기기 보안요구사항(1.1.1–6.1.2): 내장형 소프트웨어, 게이트웨이, 고객 컴퓨터에 설치되는 독립형 소프트웨어.',
    targets: [kisaFamily('device-')],
    decide: (p) => kisaDevice(p),
  },
  {
    id: 'kisa.device-personal-data',
    basis: `${KISA}:dev-3.3.1`,
    descriptionEn:
      'KISA device items on sensitive or personal data (1.1.2, 3.1.2, 3.3.1, 3.3.2, 3.4.1, 3.5.1): devices that process personal or medical data.',
    descriptionKo:
      'KISA 민감·개인 데이터 항목(1.1.2, 3.1.2, 3.3.1, 3.3.2, 3.4.1, 3.5.1): 개인정보·의료정보를 처리하는 기기.',
    targets: kisa('dev-1.1.2', 'dev-3.1.2', 'dev-3.3.1', 'dev-3.3.2', 'dev-3.4.1', 'dev-3.5.1'),
    decide: (p) => within(kisaDevice(p), () => (p.personalData ? yes(PERSONAL) : no(NO_PERSONAL))),
  },
  {
    id: 'kisa.device-communication',
    basis: `${KISA}:dev-4.2.1`,
    descriptionEn:
      'KISA session management and secure communication (group device-4) and interconnection authentication (1.2.2): devices with wired or wireless links.',
    descriptionKo: 'KISA 세션 관리·보안 통신(device-4) 및 상호연결 인증(1.2.2): 유·무선 통신을 하는 기기.',
    targets: [kisaGroup('device-4'), ...kisa('dev-1.2.2')],
    decide: (p) => within(kisaDevice(p), () => when(linkFact(p), NO_LINK)),
  },
  {
    id: 'kisa.device-network',
    basis: `${KISA}:dev-1.2.3`,
    descriptionEn:
      'KISA default-deny, address restriction, network access control (1.2.3, 1.2.4, 1.3.9): networked devices.',
    descriptionKo:
      'KISA 외부 통신 기본 거부·주소 제한·네트워크 접속 제한(1.2.3, 1.2.4, 1.3.9): 네트워크 연결 기기.',
    targets: kisa('dev-1.2.3', 'dev-1.2.4', 'dev-1.3.9'),
    decide: (p) => within(kisaDevice(p), () => when(networkFact(p), NO_NETWORK)),
  },
  {
    id: 'kisa.device-remote-wireless',
    basis: `${KISA}:dev-1.1.4`,
    descriptionEn:
      'KISA authentication for remote or wireless access (1.1.4): devices with remote access or a wireless interface.',
    descriptionKo: 'KISA 원격/무선 접근 시 사용자 인증(1.1.4): 원격 접속 또는 무선 인터페이스가 있는 기기.',
    targets: kisa('dev-1.1.4'),
    decide: (p) =>
      within(kisaDevice(p), () => {
        const wireless = listed(p, WIRELESS_INTERFACES);
        return when(
          joinFacts([
            p.remoteAccess ? fact('Remote access', '원격 접속') : undefined,
            wireless ? fact(`wireless interfaces (${wireless})`, `무선 인터페이스(${wireless})`) : undefined,
          ]),
          fact('No remote access and no wireless interface', '원격 접속·무선 인터페이스 없음'),
        );
      }),
  },
  {
    id: 'kisa.device-update',
    basis: `${KISA}:dev-5.1.1`,
    descriptionEn:
      'KISA secure update (5.1.1–5.1.4): every device — 5.1.1 requires an update function; without a declared mechanism the reason flags the gap.',
    descriptionKo:
      'KISA 안전한 업데이트(5.1.1–5.1.4): 모든 기기 — 5.1.1이 업데이트 기능을 요구; 미기재 시 보완 필요로 표시.',
    targets: kisa('dev-5.1.1', 'dev-5.1.2', 'dev-5.1.3', 'dev-5.1.4'),
    decide: (p) =>
      within(kisaDevice(p), () =>
        updateFact(
          p,
          fact(
            'No update mechanism declared, yet KISA 5.1.1 requires one: a gap to close',
            '업데이트 기능 미기재: KISA 5.1.1이 업데이트 기능을 요구함 — 보완 필요',
          ),
        ),
      ),
  },
  {
    id: 'kisa.device-physical-interfaces',
    basis: `${KISA}:dev-6.1.1`,
    descriptionEn:
      'KISA physical restriction of unneeded interfaces (6.1.1): device hardware with external ports.',
    descriptionKo: 'KISA 불필요한 인터페이스 물리적 접근 제한(6.1.1): 외부 포트가 있는 기기 하드웨어.',
    targets: kisa('dev-6.1.1'),
    decide: (p) =>
      within(kisaDevice(p), () =>
        p.hardwareWithExternalPorts
          ? yes(fact('Device hardware with external ports', '외부 포트가 있는 기기 하드웨어'))
          : no(fact('No device hardware with external ports', '외부 포트가 있는 기기 하드웨어 없음')),
      ),
  },
  {
    id: 'kisa.device-physical-access',
    basis: `${KISA}:dev-6.1.2`,
    descriptionEn:
      'KISA detection of unauthorised physical access (6.1.2): products with their own device hardware (embedded software, gateway, or external ports).',
    descriptionKo:
      'KISA 비인가 물리적 접근 탐지(6.1.2): 자체 기기 하드웨어가 있는 제품(내장형, 게이트웨이, 외부 포트).',
    targets: kisa('dev-6.1.2'),
    decide: (p) =>
      within(kisaDevice(p), () =>
        p.kind === 'embedded-software' || p.kind === 'gateway' || p.hardwareWithExternalPorts
          ? yes(fact(`Device hardware (kind ${p.kind})`, `기기 하드웨어(유형 ${p.kind})`))
          : no(
              fact(
                'Software on customer computers, no device hardware of its own',
                '고객 컴퓨터의 소프트웨어, 자체 기기 하드웨어 없음',
              ),
            ),
      ),
  },

  // KISA service requirements: mobile app (app-*), web service (web-*), infrastructure (infra-*)
  {
    id: 'kisa.mobile-app-scope',
    basis: `${KISA}:app-1.1.01`,
    descriptionEn:
      'KISA mobile-app requirements: products of kind mobile-app (a device with a companion app registers the app as its own product).',
    descriptionKo: 'KISA 모바일 앱 보안요구사항: 유형 mobile-app 제품(동반 앱은 별도 제품으로 등록).',
    targets: [kisaFamily('app-')],
    decide: (p) =>
      p.kind === 'mobile-app'
        ? yes(fact('Kind mobile-app', '제품 유형 mobile-app'))
        : no(fact(`Kind ${p.kind} is not a mobile app`, `제품 유형 ${p.kind}: 모바일 앱 아님`)),
  },
  {
    id: 'kisa.mobile-app-personal-data',
    basis: `${KISA}:app-4.4.01`,
    descriptionEn:
      'KISA app de-identification of personal information (app-4.4.01): apps that process personal data.',
    descriptionKo: 'KISA 앱 개인정보 비식별화(app-4.4.01): 개인정보를 처리하는 앱.',
    targets: kisa('app-4.4.01'),
    decide: (p) => (p.kind === 'mobile-app' ? (p.personalData ? yes(PERSONAL) : no(NO_PERSONAL)) : undefined),
  },
  {
    id: 'kisa.mobile-app-remote-management',
    basis: `${KISA}:app-4.8.02`,
    descriptionEn:
      'KISA app remote management in a trusted environment (app-4.8.02): apps with remote access.',
    descriptionKo: 'KISA 앱 원격관리의 신뢰 환경 수행(app-4.8.02): 원격 접속이 있는 앱.',
    targets: kisa('app-4.8.02'),
    decide: (p) =>
      p.kind === 'mobile-app'
        ? p.remoteAccess
          ? yes(fact('Remote access', '원격 접속'))
          : no(fact('No remote access or remote management', '원격 접속·원격 관리 없음'))
        : undefined,
  },
  {
    id: 'kisa.mobile-app-update',
    basis: `${KISA}:app-4.7.01`,
    descriptionEn:
      'KISA app secure update (app-4.7.01, 4.7.02): every app — app updates need authorisation and integrity checks however they are delivered.',
    descriptionKo:
      'KISA 앱 안전한 업데이트(app-4.7.01, 4.7.02): 모든 앱 — 배포 방식과 무관하게 인가·무결성 확인 필요.',
    targets: kisa('app-4.7.01', 'app-4.7.02'),
    decide: (p) =>
      p.kind === 'mobile-app'
        ? updateFact(
            p,
            fact(
              'No update mechanism declared; app updates (e.g. via the store) still need these checks',
              '업데이트 기능 미기재; 앱 업데이트(스토어 등)에도 확인 필요',
            ),
          )
        : undefined,
  },
  {
    id: 'kisa.web-service-scope',
    basis: `${KISA}:web-1.01`,
    descriptionEn:
      'KISA web-service requirements: cloud services and products the manufacturer hosts in whole or part.',
    descriptionKo:
      'KISA 웹 서비스 보안요구사항: 클라우드 서비스 및 제조사가 전부 또는 일부를 호스팅하는 제품.',
    targets: [kisaFamily('web-')],
    decide: (p) => hostedFact(p),
  },
  {
    id: 'kisa.infrastructure-scope',
    basis: `${KISA}:infra-1.1.01`,
    descriptionEn:
      'KISA service-infrastructure requirements (server, web server, DBMS): cloud services and manufacturer-hosted or hybrid products; a customer-run cloud service gets them through the manual.',
    descriptionKo:
      'KISA 서비스 인프라 보안요구사항(서버·웹 서버·DBMS): 클라우드 서비스 및 제조사 호스팅·하이브리드 제품.',
    targets: [kisaFamily('infra-')],
    decide: (p) => hostedFact(p),
  },
  {
    id: 'kisa.dbms',
    basis: `${KISA}:infra-3.1.01`,
    descriptionEn: 'KISA DBMS security (group infra-3): hosted services that include a database.',
    descriptionKo: 'KISA DBMS 보안(infra-3): 데이터베이스를 포함하는 호스팅 서비스.',
    targets: [kisaGroup('infra-3')],
    decide: (p) => within(hostedFact(p), () => (p.hasDatabase ? yes(DATABASE) : no(NO_DATABASE))),
  },
];

/**
 * The default for an entry no rule speaks for and whose parent is not decided: applicable (the guideline binds every
 * digital medical device unless its text narrows a provision; a person may override with a justification). MFDS
 * entries cite art. 2; entries of other built-in frameworks cite themselves.
 */
export const DEFAULT_RULE = {
  id: 'default',
  basis: `${MFDS}:art-2`,
  descriptionEn: 'No rule narrows the provision: it applies to every product.',
  descriptionKo: '적용을 제한하는 규칙 없음: 모든 제품에 적용.',
} as const;

// ---- evaluation ----

const DECIDED_KINDS: Readonly<Record<string, readonly string[]>> = {
  [MFDS]: ['article', 'clause', 'item'],
  [KISA]: ['requirement'],
};
const isDecided = (e: ApplicabilityEntry): boolean => DECIDED_KINDS[e.framework]?.includes(e.kind) ?? false;

const specificity = (t: RuleTarget): number => ('ref' in t ? 3 : 'group' in t ? 2 : 1);
const matches = (t: RuleTarget, e: ApplicabilityEntry): boolean => {
  if ('ref' in t) {
    return t.ref === e.ref;
  }
  if (t.framework !== e.framework || e.group === null) {
    return false;
  }
  return 'group' in t ? t.group === e.group : e.group.startsWith(t.groupPrefix);
};

interface Decided {
  applicable: boolean;
  ruleId: string;
  basis: string;
  fact: Bilingual;
  /** The entry the rule spoke for (a child that inherits names it). */
  origin: ApplicabilityEntry;
}

const byRule = (profile: ProductProfile, entry: ApplicabilityEntry): Decided | undefined => {
  let best: { rank: number; rule: ApplicabilityRule; verdict: RuleVerdict } | undefined;
  for (const rule of APPLICABILITY_RULES) {
    const rank = Math.max(0, ...rule.targets.filter((t) => matches(t, entry)).map(specificity));
    if (rank === 0 || (best !== undefined && rank <= best.rank)) {
      continue;
    }
    const verdict = rule.decide(profile, entry);
    if (verdict) {
      best = { rank, rule, verdict };
    }
  }
  return best && { ...best.verdict, ruleId: best.rule.id, basis: best.rule.basis, origin: entry };
};

const byDefault = (entry: ApplicabilityEntry): Decided => ({
  applicable: true,
  ruleId: DEFAULT_RULE.id,
  basis: entry.framework === MFDS ? DEFAULT_RULE.basis : entry.ref,
  fact: fact('No rule narrows this provision (default)', '적용을 제한하는 규칙 없음(기본값)'),
  origin: entry,
});

/** "art. 11(1) item 3" / "제11조제1항제3호"; KISA entries by their number. */
const labelOf = (e: ApplicabilityEntry): Bilingual => {
  if (e.framework === MFDS && e.article !== null) {
    return fact(
      `art. ${e.article}${e.clause === null ? '' : `(${e.clause})`}${e.item === null ? '' : ` item ${e.item}`}`,
      `제${e.article}조${e.clause === null ? '' : `제${e.clause}항`}${e.item === null ? '' : `제${e.item}호`}`,
    );
  }
  const tail = e.ref.slice(e.ref.indexOf(':') + 1);
  return fact(`KISA ${tail}`, `KISA ${tail}`);
};

const toDecision = (entry: ApplicabilityEntry, d: Decided): ApplicabilityDecision => {
  const label = labelOf(entry);
  const from = labelOf(d.origin);
  const inherited = d.origin.ref !== entry.ref;
  const en = d.fact.en.charAt(0).toUpperCase() + d.fact.en.slice(1);
  return {
    ref: entry.ref,
    applicable: d.applicable,
    ruleId: d.ruleId,
    basis: d.basis,
    reasonEn: `${en} → ${label.en} ${d.applicable ? 'applies' : 'does not apply'}${inherited ? ` (follows ${from.en})` : ''}`,
    reasonKo: `${d.fact.ko} → ${label.ko} ${d.applicable ? '적용' : '적용 제외'}${inherited ? ` (${from.ko}에 따름)` : ''}`,
  };
};

/**
 * Decides, for each MFDS article/clause/item and KISA requirement among `entries` (once per ref, in input order),
 * whether it applies to a product with this profile; other entries get no decision. Most specific rule first, then
 * the parent's decision (parentRef, when the parent is among `entries`), then DEFAULT_RULE.
 */
export const evaluateApplicability = (
  profile: ProductProfile,
  entries: readonly ApplicabilityEntry[],
): ApplicabilityDecision[] => {
  const byRef = new Map(entries.map((e) => [e.ref, e]));
  const memo = new Map<string, Decided>();
  const decide = (entry: ApplicabilityEntry, seen: Set<string>): Decided => {
    const known = memo.get(entry.ref);
    if (known) {
      return known;
    }
    const parent = entry.parentRef === null ? undefined : byRef.get(entry.parentRef);
    const inherit = parent && isDecided(parent) && !seen.has(parent.ref);
    const result =
      byRule(profile, entry) ?? (inherit ? decide(parent, new Set(seen).add(entry.ref)) : byDefault(entry));
    memo.set(entry.ref, result);
    return result;
  };
  const out: ApplicabilityDecision[] = [];
  const done = new Set<string>();
  for (const entry of entries) {
    if (isDecided(entry) && !done.has(entry.ref)) {
      done.add(entry.ref);
      out.push(toDecision(entry, decide(entry, new Set([entry.ref]))));
    }
  }
  return out;
};

/**
 * What a profile change would change: the refs whose applicability differs between two evaluations (from/to null
 * where a ref is only on one side), in the order of `after` and then the refs only in `before`. The reason is the
 * new decision's (the old one's for a ref that is gone). Decisions whose reason changed but not their outcome are
 * not reported.
 */
export const diffApplicability = (
  before: readonly ApplicabilityDecision[],
  after: readonly ApplicabilityDecision[],
): ApplicabilityDiff[] => {
  const old = new Map(before.map((d) => [d.ref, d]));
  const next = new Map(after.map((d) => [d.ref, d]));
  const out: ApplicabilityDiff[] = [];
  for (const d of after) {
    const from = old.get(d.ref)?.applicable ?? null;
    if (from !== d.applicable) {
      out.push({ ref: d.ref, from, to: d.applicable, reasonEn: d.reasonEn, reasonKo: d.reasonKo });
    }
  }
  for (const d of before) {
    if (!next.has(d.ref)) {
      out.push({ ref: d.ref, from: d.applicable, to: null, reasonEn: d.reasonEn, reasonKo: d.reasonKo });
    }
  }
  return out;
};
