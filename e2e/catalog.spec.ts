import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, SCREENSHOTS, setupAndSignIn, startHarness } from './harness.ts';

/** Browse the regulatory catalog to art. 18, read clause ① with its obligation and mappings, search, switch language. */
describe('regulatory catalog in the browser', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('browses to art. 18 clause ①, searches a Korean phrase, and switches language', async () => {
    const { page, consoleErrors } = await h.newPage();
    await setupAndSignIn(h, page, { email: 'catalog@medsec.example', password: 'Correct-Horse-9-Battery' });
    await page.getByTestId('nav-catalog').click();
    await page.getByTestId('catalog-art-18').click();
    await expect.poll(() => page.getByTestId('catalog-detail').textContent()).toContain('침해행위 신고');
    await page.getByTestId('catalog-child-cl-1').click();
    const ko = page.getByTestId('catalog-text-ko');
    await expect.poll(() => ko.textContent()).toContain('전자적 침해행위가 발생한 것을 인지한 경우');
    expect(
      await page.getByTestId('catalog-detail').getByTestId('obligation-mandatory').first().textContent(),
    ).toBe('의무');
    await page.screenshot({ path: join(SCREENSHOTS, '10-catalog-art18.png') });

    // art. 4: mapped approval-review requirement IDs
    await page.getByTestId('catalog-art-4').click();
    await expect.poll(() => page.getByTestId('catalog-detail').textContent()).toContain('RA-04');
    // …its IMDRF N60 rows, the KISA requirements pointing at it, and the guide's security-activity tables
    await page.getByTestId('catalog-imdrf').waitFor();
    expect(await page.getByTestId('catalog-links').textContent()).toContain('kisa-healthcare:dev-4');
    await page.getByTestId('catalog-activities').waitFor();

    // search: a phrase from the middle of a clause, highlighted
    await page.getByTestId('catalog-search').fill('취약점을 해결하기 위한 패치');
    await page.getByTestId('catalog-results').getByText('art-22:cl-1').waitFor();
    expect(await page.getByTestId('catalog-results').locator('mark').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, '11-catalog-search.png') });

    // language: labels change, the Korean original stays verbatim
    await page.getByTestId('catalog-search').fill('');
    await page.getByTestId('catalog-art-18').click();
    await page.getByTestId('language-switch').getByText('English').click();
    await expect
      .poll(() =>
        page.getByTestId('catalog-detail').getByTestId('obligation-mandatory').first().textContent(),
      )
      .toBe('Mandatory');
    expect(await page.getByTestId('catalog-text-ko').textContent()).toContain('디지털의료기기제조업자등은');
    expect(await page.getByTestId('nav-catalog').textContent()).toBe('Catalog');
    await page.screenshot({ path: join(SCREENSHOTS, '12-catalog-en.png') });

    // KISA device requirements, with the note where the two seeds disagree
    await page.getByTestId('catalog-framework').getByText('KISA device requirements').click();
    await page.getByTestId('catalog-req-5.1.4').click();
    await expect.poll(() => page.getByTestId('catalog-notes').textContent()).toContain('rollback');
    expect(await page.getByTestId('catalog-text-ko').textContent()).toContain('롤백 기능을 제공하여야 한다');
    await page.screenshot({ path: join(SCREENSHOTS, '13-catalog-kisa.png') });

    // KISA threats lead to their countermeasures and on to the device requirements
    await page.getByTestId('catalog-framework').getByText('KISA threats').click();
    await page.getByTestId('catalog-tree').getByText('Authentication bypass').click();
    await page.getByTestId('catalog-countermeasures').getByText('1.3.8').click();
    await expect
      .poll(() => page.getByTestId('catalog-text-ko').textContent())
      .toContain('관리자 계정에 대해서는 동시 접속을 제한해야 한다');
    await page.screenshot({ path: join(SCREENSHOTS, '14-catalog-threat.png') });

    // the Ch. II table as a matrix (IMDRF principle × article), inferred cells marked
    await page.getByTestId('catalog-framework').getByText('IMDRF mapping').click();
    await page.getByTestId('mapping-matrix').waitFor();
    expect(await page.getByTestId('matrix-secure-communications-4').textContent()).toContain('RA-04');
    expect(await page.locator('[data-inferred="true"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, '15-catalog-mapping.png'), fullPage: true });
    // templates as data: the 붙임1 document list
    await page.getByTestId('catalog-framework').getByText('Templates').click();
    await expect.poll(() => page.getByTestId('catalog-templates').textContent()).toContain('QP-SEC-002');
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  });
});
