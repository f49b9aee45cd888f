import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, GraphqlResponse, useTestApp } from '../support/test-app.js';
import { asPartner, registerPartnerApp } from './auth-client.js';
import { errorSummary, expectForbidden, expectQueryRefused, NONEXISTENT_ID } from './denials.js';
import { gql } from './graphql-client.js';
import {
  changeListing,
  CREATE_LISTING,
  createListing,
  fetchListing,
  LISTING,
  LISTING_CATEGORIES,
  listingInput,
  ListingPayloadView,
  listingRows,
  ListingSearch,
  ListingView,
  lockListing,
  postListing,
  searchListingsRaw,
  searchPage,
  searchTitles,
  UPDATE_LISTING,
  updateListing,
} from './listing-client.js';
import { auditRows, pendingMember, succeed } from './member-client.js';
import { globalId, rowId } from '../support/global-ids.js';

const { BAD_USER_INPUT, UNAUTHENTICATED } = ErrorCode;

/** Far enough either side of now that no test run reaches it. */
const LONG_AGO = '2000-01-01T00:00:00.000Z';
const FAR_AHEAD = '2100-01-01T00:00:00.000Z';

/**
 * Listings through GraphQL over real HTTP: posted by active members of a community, found by words
 * (Korean included, and parts of words) and filters, page by page, seen only by the community and
 * its auditors, changed by their author and closed (audited) by a coordinator.
 */
describe('listings over GraphQL', () => {
  const t = useTestApp(4);

  /** Every read and write of listings, as one client would send it, with valid arguments. */
  const listingRequests = (communityId: string, listingId: string) => ({
    search: (client: GraphqlClient) => searchListingsRaw(client, communityId),
    read: (client: GraphqlClient) => client.graphql(LISTING, { id: listingId }),
    create: (client: GraphqlClient) => client.graphql(CREATE_LISTING, { input: listingInput(communityId) }),
    update: (client: GraphqlClient) => client.graphql(UPDATE_LISTING, { input: { listingId, title: 'Taken over' } }),
    close: (client: GraphqlClient) => client.graphql(UPDATE_LISTING, { input: { listingId, status: 'CLOSED' } }),
  });
  type ListingRequest = keyof ReturnType<typeof listingRequests>;

  /** Sends each request and expects each to be denied as if the community or listing did not exist; nothing is written. */
  async function expectAllDenied(
    fixture: LedgerFixture,
    client: GraphqlClient,
    listingId: string,
    requests: ListingRequest[],
  ): Promise<void> {
    const before = await listingRows(t, fixture.community.id);
    const send = listingRequests(fixture.community.id, listingId);
    for (const request of requests) {
      const response = await send[request](client);
      expect({ request, errors: errorSummary(response.errors) }).toEqual({
        request,
        errors: [expect.objectContaining({ code: ErrorCode.FORBIDDEN })],
      });
      expectForbidden(response);
    }
    expect(await listingRows(t, fixture.community.id)).toEqual(before);
    expect(await auditRows(t, { communityId: fixture.community.id, targetType: 'listing' })).toEqual([]);
  }

  /** A request refused before reaching the resolver's logic: BAD_USER_INPUT as a top-level error, and no listing. */
  function expectBadUserInput(response: GraphqlResponse): void {
    expect(response.status).toBeLessThan(500);
    expect(errorSummary(response.errors)?.map((error) => error.code)).toEqual([BAD_USER_INPUT]);
    expect(response.data?.createListing ?? response.data?.updateListing ?? null).toBeNull();
  }

  /** A value of the right type that validation refuses: INVALID_INPUT userErrors on that one field, and no listing. */
  function expectInvalidField(response: GraphqlResponse, field: string): void {
    expect(response.errors).toBeUndefined();
    const payload = response.data?.createListing ?? response.data?.updateListing;
    expect(payload.listing).toBeNull();
    expect(payload.userErrors.length).toBeGreaterThan(0);
    for (const error of payload.userErrors)
      expect(error).toMatchObject({ code: 'INVALID_INPUT', field: ['input', field] });
  }

  /** Refused for its form: by the schema's types (no field named), or by validation (the field named). */
  const expectInputRefused = (response: GraphqlResponse, validatedField: string | null): void =>
    validatedField ? expectInvalidField(response, validatedField) : expectBadUserInput(response);

  describe('categories', () => {
    it('are public: 16 slugs, each with an English and a Korean name', async () => {
      const { listingCategories } = await gql<{
        listingCategories: { slug: string; nameEn: string; nameKo: string }[];
      }>(t, LISTING_CATEGORIES);

      expect(listingCategories).toHaveLength(16);
      expect(new Set(listingCategories.map((category) => category.slug)).size).toBe(16);
      for (const category of listingCategories) {
        expect(category.slug).toMatch(/^[a-z][a-z_]+$/);
        expect(category.nameEn).toMatch(/^[A-Z][A-Za-z ]+$/);
        expect(category.nameKo).toMatch(/^[\uAC00-\uD7A3 ]+$/);
      }
      expect(listingCategories).toContainEqual({ slug: 'repairs', nameEn: 'Repairs', nameKo: '수리' });
    });
  });

  describe('posting', () => {
    let fixture: LedgerFixture;
    let poster: GraphqlClient;
    beforeAll(async () => {
      fixture = await createLedgerFixture(t, [{}, {}]);
      poster = fixture.as(fixture.members[0]);
    });

    it('an active member posts offers and requests, of services per hour or fixed and of goods with a quantity; co-members read them', async () => {
      const communityId = fixture.community.id;
      const posted = [
        await postListing(poster, communityId, {
          kind: 'OFFER',
          nature: 'SERVICE',
          title: 'Bicycle repairs',
          description: 'Brakes, gears, punctures',
          category: 'repairs',
          tags: ['bike', '자전거'],
          pricing: 'PER_HOUR',
          price: '60',
          district: 'Mapo-gu',
          availability: 'Weekday evenings',
          expiresAt: FAR_AHEAD,
        }),
        await postListing(poster, communityId, {
          kind: 'REQUEST',
          nature: 'SERVICE',
          title: '영어 회화 선생님 구해요',
          category: 'language',
          pricing: 'FIXED',
          price: '90',
        }),
        await postListing(poster, communityId, {
          kind: 'OFFER',
          nature: 'GOODS',
          title: 'Homemade kimchi',
          category: 'cooking',
          pricing: 'FIXED',
          price: '30',
          quantity: 5,
        }),
        await postListing(poster, communityId, {
          kind: 'REQUEST',
          nature: 'GOODS',
          title: 'A ladder to borrow',
          category: 'goods_lending',
          pricing: 'FIXED',
          price: '0',
          quantity: 1,
        }),
      ];

      const common = {
        id: expect.any(String),
        communityId: globalId('Community', communityId),
        memberId: globalId('Member', fixture.holders[0].memberId),
        status: 'ACTIVE',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      };
      expect(posted).toEqual([
        {
          ...common,
          kind: 'OFFER',
          nature: 'SERVICE',
          title: 'Bicycle repairs',
          description: 'Brakes, gears, punctures',
          category: 'repairs',
          tags: ['bike', '자전거'],
          pricing: 'PER_HOUR',
          price: '60',
          quantity: null,
          district: 'Mapo-gu',
          availability: 'Weekday evenings',
          expiresAt: FAR_AHEAD,
        },
        {
          ...common,
          kind: 'REQUEST',
          nature: 'SERVICE',
          title: '영어 회화 선생님 구해요',
          description: '',
          category: 'language',
          tags: [],
          pricing: 'FIXED',
          price: '90',
          quantity: null,
          district: '',
          availability: '',
          expiresAt: null,
        },
        {
          ...common,
          kind: 'OFFER',
          nature: 'GOODS',
          title: 'Homemade kimchi',
          description: '',
          category: 'cooking',
          tags: [],
          pricing: 'FIXED',
          price: '30',
          quantity: 5,
          district: '',
          availability: '',
          expiresAt: null,
        },
        {
          ...common,
          kind: 'REQUEST',
          nature: 'GOODS',
          title: 'A ladder to borrow',
          description: '',
          category: 'goods_lending',
          tags: [],
          pricing: 'FIXED',
          price: '0',
          quantity: 1,
          district: '',
          availability: '',
          expiresAt: null,
        },
      ]);
      const coMember = fixture.as(fixture.members[1]);
      for (const listing of posted) expect(await fetchListing(coMember, listing.id)).toEqual(listing);
      expect((await listingRows(t, communityId)).map((row) => row.id)).toEqual(
        expect.arrayContaining(posted.map((listing) => rowId(listing.id))),
      );
    });

    it.each<[string, Record<string, unknown>, string, string[]]>([
      ['a category not in listingCategories', { category: 'spaceships' }, 'UNKNOWN_CATEGORY', ['input', 'category']],
      ['a negative price', { price: '-1' }, 'PRICE_MUST_NOT_BE_NEGATIVE', ['input', 'price']],
      ['goods without a quantity', { nature: 'GOODS', category: 'goods' }, 'QUANTITY_REQUIRED', ['input', 'quantity']],
      ['a service with a quantity', { nature: 'SERVICE', quantity: 2 }, 'QUANTITY_IS_FOR_GOODS', ['input', 'quantity']],
    ])('refuses %s with a typed userError, writing no row', async (_case, overrides, code, field) => {
      const before = await listingRows(t, fixture.community.id);

      const payload = await createListing(poster, listingInput(fixture.community.id, overrides));

      expect(payload).toEqual({ listing: null, userErrors: [{ code, field, message: expect.any(String) }] });
      expect(await listingRows(t, fixture.community.id)).toEqual(before);
    });

    // The field named is refused by validation (INVALID_INPUT); null: by the schema's types (BAD_USER_INPUT).
    it.each<[string, Record<string, unknown>, string | null]>([
      ['a title of two characters', { title: 'ab' }, 'title'],
      ['a title of 121 characters', { title: 'x'.repeat(121) }, 'title'],
      ['an unknown kind', { kind: 'GIFT' }, null],
      ['an unknown nature', { nature: 'LABOUR' }, null],
      ['an unknown pricing', { pricing: 'PER_DAY' }, null],
      ['a category that is no slug', { category: 'Repairs & more' }, 'category'],
      ['a malformed expiresAt', { expiresAt: 'next tuesday' }, null],
      ['an impossible expiresAt', { expiresAt: '2030-13-45T00:00:00Z' }, null],
      ['a fractional price', { price: '1.5' }, null],
      ['a quantity above 10000', { nature: 'GOODS', category: 'goods', quantity: 10001 }, 'quantity'],
      // An explicit null is refused as input; omitting the quantity of goods is QUANTITY_REQUIRED.
      ['goods with a null quantity', { nature: 'GOODS', category: 'goods', quantity: null }, 'quantity'],
    ])('refuses %s, writing no row', async (_case, overrides, validatedField) => {
      const before = await listingRows(t, fixture.community.id);

      expectInputRefused(
        await poster.graphql(CREATE_LISTING, { input: listingInput(fixture.community.id, overrides) }),
        validatedField,
      );

      expect(await listingRows(t, fixture.community.id)).toEqual(before);
    });
  });

  describe('search', () => {
    /** What each listing of the market says; `by` is the index of its author among the fixture's members. */
    const MARKET = {
      bikeRepairKo: {
        title: '자전거 수리해요',
        description: '펑크 수리 포함',
        kind: 'OFFER',
        nature: 'SERVICE',
        category: 'repairs',
        pricing: 'PER_HOUR',
        price: '60',
        district: 'Mapo-gu',
        by: 0,
      },
      bikeRepairEn: {
        title: 'Bike Repair Workshop',
        description: 'Fixing punctures and brakes',
        kind: 'OFFER',
        nature: 'SERVICE',
        category: 'repairs',
        pricing: 'FIXED',
        price: '120',
        district: 'Seodaemun-gu',
        by: 1,
      },
      lessons: {
        title: 'Need help with Korean lessons',
        description: 'Two hours a week',
        kind: 'REQUEST',
        nature: 'SERVICE',
        category: 'language',
        pricing: 'PER_HOUR',
        price: '90',
        district: 'Mapo-gu',
        by: 1,
      },
      kimchi: {
        title: 'Homemade kimchi',
        description: '배추김치 1kg jars',
        kind: 'OFFER',
        nature: 'GOODS',
        category: 'cooking',
        pricing: 'FIXED',
        price: '30',
        quantity: 5,
        district: 'Mapo-gu',
        by: 0,
      },
      helmet: {
        title: 'Looking for a 자전거 helmet',
        description: 'Any size',
        kind: 'REQUEST',
        nature: 'GOODS',
        category: 'goods',
        pricing: 'FIXED',
        price: '0',
        quantity: 1,
        district: 'Jongno-gu',
        by: 0,
      },
      tote: {
        title: '100% cotton tote bags',
        description: 'Sewn by hand',
        kind: 'OFFER',
        nature: 'GOODS',
        category: 'arts',
        pricing: 'FIXED',
        price: '20',
        quantity: 3,
        district: 'Jongno-gu',
        by: 1,
      },
      snakeCase: {
        title: 'snake_case naming tips',
        description: 'For Python beginners',
        kind: 'OFFER',
        nature: 'SERVICE',
        category: 'computers',
        pricing: 'PER_HOUR',
        price: '60',
        district: 'Seodaemun-gu',
        by: 2,
      },
      abcTools: {
        title: 'abc tools to lend',
        description: 'Hammer and saw',
        kind: 'OFFER',
        nature: 'GOODS',
        category: 'goods_lending',
        pricing: 'FIXED',
        price: '10',
        quantity: 2,
        district: 'Seodaemun-gu',
        by: 2,
      },
      weeding: {
        title: 'Weeding all summer',
        description: 'Until the end of the season',
        kind: 'OFFER',
        nature: 'SERVICE',
        category: 'gardening',
        pricing: 'PER_HOUR',
        price: '60',
        district: 'Mapo-gu',
        expiresAt: FAR_AHEAD,
        by: 2,
      },
      /** Hidden from search until resumed. */
      piano: {
        title: 'Piano lessons',
        description: 'Beginners welcome',
        kind: 'OFFER',
        nature: 'SERVICE',
        category: 'teaching',
        pricing: 'PER_HOUR',
        price: '60',
        district: 'Mapo-gu',
        by: 0,
      },
      /** Active, but its time is over. */
      expiredLadder: {
        title: 'Ladder for one day',
        description: 'Expired offer',
        kind: 'OFFER',
        nature: 'GOODS',
        category: 'goods_lending',
        pricing: 'FIXED',
        price: '10',
        quantity: 1,
        district: 'Mapo-gu',
        expiresAt: LONG_AGO,
        by: 1,
      },
      /** Ended for good. */
      sofa: {
        title: 'Old sofa',
        description: 'Collected already',
        kind: 'OFFER',
        nature: 'GOODS',
        category: 'goods',
        pricing: 'FIXED',
        price: '0',
        quantity: 1,
        district: 'Mapo-gu',
        by: 2,
      },
    } as const;
    type MarketName = keyof typeof MARKET;
    const titles = (...names: MarketName[]): string[] => names.map((name) => MARKET[name].title);

    let fixture: LedgerFixture;
    let searcher: GraphqlClient;
    const market = {} as Record<MarketName, ListingView>;

    beforeAll(async () => {
      fixture = await createLedgerFixture(t, [{}, {}, {}, {}]);
      // The fourth member posts nothing: they only search, as any co-member would.
      searcher = fixture.as(fixture.members[3]);
      for (const [name, { by, ...content }] of Object.entries(MARKET) as [MarketName, (typeof MARKET)[MarketName]][]) {
        market[name] = await postListing(fixture.as(fixture.members[by]), fixture.community.id, content);
      }
      await changeListing(fixture.as(fixture.members[MARKET.piano.by]), market.piano.id, { status: 'PAUSED' });
      await changeListing(fixture.as(fixture.members[MARKET.sofa.by]), market.sofa.id, { status: 'CLOSED' });
    });

    /** The titles a co-member's search finds, sorted so that expectations need not know the order. */
    const found = async (search: ListingSearch): Promise<string[]> =>
      (await searchTitles(searcher, fixture.community.id, search)).sort();
    const expectFound = async (search: ListingSearch, names: MarketName[]): Promise<void> => {
      expect({ search, found: await found(search) }).toEqual({ search, found: titles(...names).sort() });
    };

    it('without a query lists every active, unexpired listing, newest first', async () => {
      expect(await searchTitles(searcher, fixture.community.id)).toEqual(
        titles(
          'bikeRepairKo',
          'bikeRepairEn',
          'lessons',
          'kimchi',
          'helmet',
          'tote',
          'snakeCase',
          'abcTools',
          'weeding',
        ).reverse(),
      );
    });

    it.each<[string, MarketName[]]>([
      ['자전거', ['bikeRepairKo', 'helmet']],
      ['수리', ['bikeRepairKo']],
      ['수리해요', ['bikeRepairKo']],
      ['펑크', ['bikeRepairKo']],
      ['김치', ['kimchi']],
      ['자전거 수리', ['bikeRepairKo']],
      ['펑크 자전거', ['bikeRepairKo']],
      ['bike', ['bikeRepairEn']],
      ['BIKE REPAIR', ['bikeRepairEn']],
      ['bRaKeS', ['bikeRepairEn']],
      ['punct', ['bikeRepairEn']],
      ['workshop bike', ['bikeRepairEn']],
      ['lessons', ['lessons']],
      ['kimchi', ['kimchi']],
      ['ladder', []],
      ['sofa', []],
      ['우주선', []],
    ])('finds %j by whole words or parts of words, in Korean or English, whatever the case', async (query, names) => {
      await expectFound({ query }, names);
    });

    it.each<[string, MarketName[]]>([
      ['%', ['tote']],
      ['100%', ['tote']],
      ['_', ['snakeCase']],
      ['e_c', ['snakeCase']],
      // As wildcards these would match "abc tools to lend".
      ['ab%', []],
      ['a_c', []],
      ['\\', []],
    ])('takes %j literally, never as a wildcard', async (query, names) => {
      await expectFound({ query }, names);
    });

    it.each<[string, ListingSearch, MarketName[]]>([
      ['kind', { kind: 'REQUEST' }, ['lessons', 'helmet']],
      [
        'kind',
        { kind: 'OFFER' },
        ['bikeRepairKo', 'bikeRepairEn', 'kimchi', 'tote', 'snakeCase', 'abcTools', 'weeding'],
      ],
      ['nature', { nature: 'GOODS' }, ['kimchi', 'helmet', 'tote', 'abcTools']],
      ['category', { category: 'repairs' }, ['bikeRepairKo', 'bikeRepairEn']],
      ['category with no listings', { category: 'childcare' }, []],
      ['district', { district: 'Mapo-gu' }, ['bikeRepairKo', 'lessons', 'kimchi', 'weeding']],
      [
        'a price range, bounds included',
        { minPrice: '30', maxPrice: '60' },
        ['bikeRepairKo', 'kimchi', 'snakeCase', 'weeding'],
      ],
      ['a minimum price', { minPrice: '90' }, ['bikeRepairEn', 'lessons']],
      ['a maximum price of zero', { maxPrice: '0' }, ['helmet']],
      ['a member', { memberId: '<member 2>' }, ['snakeCase', 'abcTools', 'weeding']],
      ['words and a kind', { query: '자전거', kind: 'REQUEST' }, ['helmet']],
      ['words, nature and district', { query: 'o', nature: 'GOODS', district: 'Jongno-gu' }, ['helmet', 'tote']],
      ['status PAUSED', { status: 'PAUSED' }, ['piano']],
      ['status PAUSED and words', { status: 'PAUSED', query: 'lessons' }, ['piano']],
      ['status CLOSED', { status: 'CLOSED' }, ['sofa']],
    ])('filters by %s', async (_filter, search, names) => {
      const memberId = search.memberId === '<member 2>' ? fixture.holders[2].memberId : search.memberId;
      await expectFound({ ...search, memberId }, names);
    });

    it('shows a paused listing again once resumed, and an expired one once its expiry is lifted', async () => {
      const pianoAuthor = fixture.as(fixture.members[MARKET.piano.by]);
      const ladderAuthor = fixture.as(fixture.members[MARKET.expiredLadder.by]);
      try {
        await changeListing(pianoAuthor, market.piano.id, { status: 'ACTIVE' });
        await changeListing(ladderAuthor, market.expiredLadder.id, { expiresAt: null });

        await expectFound({ query: 'piano' }, ['piano']);
        await expectFound({ query: 'ladder' }, ['expiredLadder']);
        await expectFound({ status: 'PAUSED' }, []);
      } finally {
        // The other tests expect the market as it was.
        await changeListing(pianoAuthor, market.piano.id, { status: 'PAUSED' });
        await changeListing(ladderAuthor, market.expiredLadder.id, { expiresAt: LONG_AGO });
      }
      await expectFound({ query: 'piano' }, []);
      await expectFound({ query: 'ladder' }, []);
    });
  });

  describe('pages', () => {
    /** Every page of a search, following endCursor until hasNextPage is false. */
    async function walk(
      client: GraphqlClient,
      communityId: string,
      search: ListingSearch,
      onPage: (index: number) => Promise<void> = async () => {},
    ) {
      const pages: { ids: string[]; hasNextPage: boolean; hasPreviousPage: boolean }[] = [];
      let after: string | undefined;
      do {
        const page = await searchPage(client, communityId, { ...search, after });
        pages.push({
          ids: page.edges.map((edge) => edge.node.id),
          hasNextPage: page.pageInfo.hasNextPage,
          hasPreviousPage: page.pageInfo.hasPreviousPage,
        });
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor! : undefined;
        await onPage(pages.length);
      } while (after !== undefined && pages.length < 20);
      return pages;
    }

    it('walks newest first with first/after: every listing once, none twice, even when new ones arrive mid-walk', async () => {
      const fixture = await createLedgerFixture(t, [{}, {}]);
      const communityId = fixture.community.id;
      const created: ListingView[] = [];
      for (let index = 0; index < 7; index++) {
        const goods = index % 2 === 1;
        created.push(
          await postListing(fixture.as(fixture.members[index % 2]), communityId, {
            title: `Page item ${index}`,
            ...(goods ? { nature: 'GOODS', category: 'goods', quantity: 1 } : {}),
          }),
        );
      }
      const newestFirst = created.map((listing) => listing.id).reverse();
      const reader = fixture.as(fixture.members[0]);

      const pages = await walk(reader, communityId, { first: 3 }, async (index) => {
        // A listing posted after the walk began is newer than every cursor: it must not shift later pages.
        if (index === 1) await postListing(fixture.as(fixture.members[1]), communityId, { title: 'Arrived mid-walk' });
      });

      expect(pages).toEqual([
        { ids: newestFirst.slice(0, 3), hasNextPage: true, hasPreviousPage: false },
        { ids: newestFirst.slice(3, 6), hasNextPage: true, hasPreviousPage: true },
        { ids: newestFirst.slice(6), hasNextPage: false, hasPreviousPage: true },
      ]);

      const goodsNewestFirst = created
        .filter((listing) => listing.nature === 'GOODS')
        .map((listing) => listing.id)
        .reverse();
      const goodsPages = await walk(reader, communityId, { first: 2, nature: 'GOODS' });
      expect(goodsPages.map((page) => page.ids)).toEqual([goodsNewestFirst.slice(0, 2), goodsNewestFirst.slice(2)]);
      expect(goodsPages.at(-1)!.hasNextPage).toBe(false);
    });

    it('refuses a cursor it did not issue, and a page size out of range, as BAD_USER_INPUT', async () => {
      const fixture = await createLedgerFixture(t, [{}]);
      const reader = fixture.as(fixture.members[0]);
      for (const search of [{ after: 'not-a-cursor' }, { first: 0 }, { first: 101 }]) {
        const response = await searchListingsRaw(reader, fixture.community.id, search);
        expect({ search, codes: errorSummary(response.errors)?.map((error) => error.code) }).toEqual({
          search,
          codes: [BAD_USER_INPUT],
        });
      }
    });
  });

  describe('who may see and post', () => {
    /** A community with one listing by its first member, and a second community whose members are outsiders to it. */
    const communityWithListing = async (): Promise<{ fixture: LedgerFixture; listing: ListingView }> => {
      const fixture = await createLedgerFixture(t, [{}, {}]);
      return {
        fixture,
        listing: await postListing(fixture.as(fixture.members[0]), fixture.community.id, {
          title: 'Visible to members only',
        }),
      };
    };

    it('anonymous callers may read categories, nothing else: UNAUTHENTICATED', async () => {
      const { fixture, listing } = await communityWithListing();
      const send = listingRequests(fixture.community.id, listing.id);

      for (const request of Object.keys(send) as ListingRequest[]) {
        const response = await send[request](t);
        expect({ request, codes: errorSummary(response.errors)?.map((error) => error.code) }).toEqual({
          request,
          codes: [UNAUTHENTICATED],
        });
        expectQueryRefused(response, UNAUTHENTICATED);
      }
      expect(await listingRows(t, fixture.community.id)).toEqual([
        expect.objectContaining({ id: rowId(listing.id), title: 'Visible to members only', status: 'active' }),
      ]);
    });

    it('a member of another community is denied exactly as for a listing that does not exist', async () => {
      const { fixture, listing } = await communityWithListing();
      const other = await createLedgerFixture(t, [{}]);
      const outsider = other.as(other.members[0]);

      await expectAllDenied(fixture, outsider, listing.id, ['search', 'read', 'create', 'update', 'close']);
      // The same denial, word for word, for an id that names no listing at all.
      expectForbidden(await outsider.graphql(LISTING, { id: NONEXISTENT_ID }));
      expectForbidden(await fixture.as(fixture.members[1]).graphql(LISTING, { id: NONEXISTENT_ID }));
      expectForbidden(
        await fixture
          .as(fixture.members[1])
          .graphql(UPDATE_LISTING, { input: { listingId: NONEXISTENT_ID, status: 'CLOSED' } }),
      );
    });

    it('a member whose membership is still PENDING is denied', async () => {
      const { fixture, listing } = await communityWithListing();
      const applicant = await pendingMember(t, fixture);

      await expectAllDenied(fixture, applicant.client, listing.id, ['search', 'read', 'create', 'update', 'close']);
    });

    /** A community whose first member, author of its one listing, has been suspended by the coordinator. */
    const suspendedAuthor = async (): Promise<{
      fixture: LedgerFixture;
      listing: ListingView;
      author: GraphqlClient;
    }> => {
      const { fixture, listing } = await communityWithListing();
      await succeed(fixture.asCoordinator(), 'suspendMembership', {
        membershipId: fixture.holders[0].membershipId,
        reason: 'Test suspension',
      });
      return { fixture, listing, author: fixture.as(fixture.members[0]) };
    };

    it('a SUSPENDED member may not search, read or post', async () => {
      const { fixture, listing, author } = await suspendedAuthor();

      await expectAllDenied(fixture, author, listing.id, ['search', 'read', 'create']);
    });

    it('a SUSPENDED member may not change, resume or close their own listing, which they may no longer read', async () => {
      const { fixture, listing, author } = await suspendedAuthor();

      await expectAllDenied(fixture, author, listing.id, ['update', 'close']);
      expectForbidden(await author.graphql(UPDATE_LISTING, { input: { listingId: listing.id, status: 'PAUSED' } }));
    });

    it('the coordinator, as the community auditor, searches and reads its listings', async () => {
      const { fixture, listing } = await communityWithListing();

      expect((await searchPage(fixture.asCoordinator(), fixture.community.id)).edges.map((edge) => edge.node)).toEqual([
        listing,
      ]);
      expect(await fetchListing(fixture.asCoordinator(), listing.id)).toEqual(listing);
    });

    it("an AUDIT_READ partner app searches and reads its own community's listings, writes none, and sees no other community's", async () => {
      const { fixture, listing } = await communityWithListing();
      const other = await communityWithListing();
      const { apiKey } = await registerPartnerApp(
        fixture.asCoordinator(),
        fixture.community.id,
        ['AUDIT_READ'],
        'Listings auditor',
      );
      const app = asPartner(t, apiKey);

      expect(
        (await searchPage(app, fixture.community.id, { query: 'members' })).edges.map((edge) => edge.node),
      ).toEqual([listing]);
      expect(await fetchListing(app, listing.id)).toEqual(listing);
      await expectAllDenied(fixture, app, listing.id, ['create', 'update', 'close']);
      await expectAllDenied(other.fixture, app, other.listing.id, ['search', 'read']);
    });
  });

  describe('changing a listing', () => {
    it('its author changes what it says, pauses, resumes and closes it; once closed it refuses any change with LISTING_CLOSED', async () => {
      const fixture = await createLedgerFixture(t, [{}]);
      const communityId = fixture.community.id;
      const author = fixture.as(fixture.members[0]);
      const original = await postListing(author, communityId, {
        title: 'Sewing lessons',
        description: 'Hems and buttons',
        category: 'arts',
        price: '60',
      });

      const changed = await changeListing(author, original.id, {
        title: '재봉 수업',
        description: '단추 달기',
        category: 'teaching',
        tags: ['sewing'],
        pricing: 'FIXED',
        price: '45',
        district: 'Jongno-gu',
        availability: 'Saturdays',
        expiresAt: FAR_AHEAD,
      });
      expect(changed).toEqual({
        ...original,
        title: '재봉 수업',
        description: '단추 달기',
        category: 'teaching',
        tags: ['sewing'],
        pricing: 'FIXED',
        price: '45',
        district: 'Jongno-gu',
        availability: 'Saturdays',
        expiresAt: FAR_AHEAD,
        updatedAt: expect.any(String),
      });
      expect(await fetchListing(author, original.id)).toEqual(changed);
      expect(await searchTitles(author, communityId, { query: '재봉' })).toEqual(['재봉 수업']);
      expect(await searchTitles(author, communityId, { query: 'sewing' })).toEqual([]);

      expect((await changeListing(author, original.id, { status: 'PAUSED' })).status).toBe('PAUSED');
      expect(await searchTitles(author, communityId)).toEqual([]);
      expect(await searchTitles(author, communityId, { status: 'PAUSED' })).toEqual(['재봉 수업']);

      expect((await changeListing(author, original.id, { status: 'ACTIVE' })).status).toBe('ACTIVE');
      expect(await searchTitles(author, communityId)).toEqual(['재봉 수업']);

      expect((await changeListing(author, original.id, { status: 'CLOSED' })).status).toBe('CLOSED');
      const closed = await listingRows(t, communityId);
      for (const changes of [
        { status: 'ACTIVE' },
        { status: 'PAUSED' },
        { status: 'CLOSED' },
        { title: 'Sewing again' },
        { price: '10' },
      ]) {
        expect({ changes, payload: await updateListing(author, { listingId: original.id, ...changes }) }).toEqual({
          changes,
          payload: {
            listing: null,
            userErrors: [{ code: 'LISTING_CLOSED', field: ['input', 'listingId'], message: expect.any(String) }],
          },
        });
      }
      expect(await listingRows(t, communityId)).toEqual(closed);
      // An author's own changes are not privileged actions: nothing is audited.
      expect(await auditRows(t, { communityId, targetType: 'listing' })).toEqual([]);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a quantity on a service', { quantity: 3 }, 'QUANTITY_IS_FOR_GOODS'],
      ['a negative price', { price: '-5' }, 'PRICE_MUST_NOT_BE_NEGATIVE'],
      ['an unknown category', { category: 'spaceships' }, 'UNKNOWN_CATEGORY'],
    ])("refuses its author's change to %s, changing nothing", async (_case, changes, code) => {
      const fixture = await createLedgerFixture(t, [{}]);
      const author = fixture.as(fixture.members[0]);
      const listing = await postListing(author, fixture.community.id);
      const before = await listingRows(t, fixture.community.id);

      expect(await updateListing(author, { listingId: listing.id, ...changes })).toEqual({
        listing: null,
        userErrors: [expect.objectContaining({ code })],
      });
      expect(await listingRows(t, fixture.community.id)).toEqual(before);
    });

    it.each<[string, Record<string, unknown>, Record<string, unknown>, string | null]>([
      ['a title of two characters', {}, { title: 'ab' }, 'title'],
      ['an unknown status', {}, { status: 'DELETED' }, null],
      ['a malformed expiresAt', {}, { expiresAt: '31/12/2030' }, null],
      ['a fractional price', {}, { price: '0.5' }, null],
      // Null is no value for what every listing must have (only expiresAt may be cleared). The field named
      // is refused by validation (INVALID_INPUT); null: by the schema's types (BAD_USER_INPUT).
      ['a null title', {}, { title: null }, 'title'],
      ['a null description', {}, { description: null }, 'description'],
      ['a null category', {}, { category: null }, 'category'],
      ['null tags', {}, { tags: null }, 'tags'],
      ['a null pricing', {}, { pricing: null }, 'pricing'],
      ['a null price', {}, { price: null }, 'price'],
      ['a null district', {}, { district: null }, 'district'],
      ['a null availability', {}, { availability: null }, 'availability'],
      ['a null status', {}, { status: null }, 'status'],
      ['a null quantity on goods', { nature: 'GOODS', category: 'goods', quantity: 4 }, { quantity: null }, 'quantity'],
    ])(
      "refuses its author's change to %s, changing nothing",
      async (_case, listingOverrides, changes, validatedField) => {
        const fixture = await createLedgerFixture(t, [{}]);
        const author = fixture.as(fixture.members[0]);
        const listing = await postListing(author, fixture.community.id, listingOverrides);
        const before = await listingRows(t, fixture.community.id);

        const response = await author.graphql(UPDATE_LISTING, { input: { listingId: listing.id, ...changes } });
        expectInputRefused(response, validatedField);

        expect(await listingRows(t, fixture.community.id)).toEqual(before);
      },
    );

    it('another member may not change it, not even to close it: FORBIDDEN', async () => {
      const fixture = await createLedgerFixture(t, [{}, {}]);
      const listing = await postListing(fixture.as(fixture.members[0]), fixture.community.id);

      await expectAllDenied(fixture, fixture.as(fixture.members[1]), listing.id, ['update', 'close']);
      for (const changes of [{ status: 'PAUSED' }, { price: '0' }]) {
        expectForbidden(
          await fixture
            .as(fixture.members[1])
            .graphql(UPDATE_LISTING, { input: { listingId: listing.id, ...changes } }),
        );
      }
      expect(await listingRows(t, fixture.community.id)).toEqual([
        expect.objectContaining({ id: rowId(listing.id), status: 'active', title: listing.title }),
      ]);
    });

    it('the coordinator may only close it; the close is audited once as listing.close', async () => {
      const fixture = await createLedgerFixture(t, [{}]);
      const communityId = fixture.community.id;
      const listing = await postListing(fixture.as(fixture.members[0]), communityId, { title: 'Questionable offer' });
      const coordinator = fixture.asCoordinator();
      const before = await listingRows(t, communityId);

      for (const changes of [
        { status: 'PAUSED' },
        { status: 'ACTIVE' },
        { title: 'Edited by the coordinator' },
        { status: 'CLOSED', title: 'Closed and edited' },
        {},
      ]) {
        expect({
          changes,
          errors: errorSummary(
            (await coordinator.graphql(UPDATE_LISTING, { input: { listingId: listing.id, ...changes } })).errors,
          ),
        }).toEqual({ changes, errors: [expect.objectContaining({ code: ErrorCode.FORBIDDEN })] });
      }
      expect(await listingRows(t, communityId)).toEqual(before);
      expect(await auditRows(t, { communityId, targetType: 'listing' })).toEqual([]);

      const closed = await changeListing(coordinator, listing.id, { status: 'CLOSED' });

      expect(closed).toEqual({ ...listing, status: 'CLOSED', updatedAt: expect.any(String) });
      const closeRow = {
        action: 'listing.close',
        actorMemberId: fixture.coordinator.memberId,
        actorRole: 'coordinator',
        partnerAppId: null,
        communityId,
        targetType: 'listing',
        targetId: rowId(listing.id),
        reason: null,
        details: {},
      };
      expect(await auditRows(t, { communityId, targetType: 'listing' })).toEqual([closeRow]);

      // Closing again is refused like any change to a closed listing, and audits nothing more.
      expect(
        (await updateListing(coordinator, { listingId: listing.id, status: 'CLOSED' })).userErrors.map(
          (error) => error.code,
        ),
      ).toEqual(['LISTING_CLOSED']);
      expect(
        (
          await updateListing(fixture.as(fixture.members[0]), { listingId: listing.id, status: 'ACTIVE' })
        ).userErrors.map((error) => error.code),
      ).toEqual(['LISTING_CLOSED']);
      expect(await auditRows(t, { communityId, targetType: 'listing' })).toEqual([closeRow]);
    });

    it("stays closed when its author's change races the coordinator's close: the change that comes second is refused", async () => {
      const fixture = await createLedgerFixture(t, [{}]);
      const communityId = fixture.community.id;
      const author = fixture.as(fixture.members[0]);
      const listing = await postListing(author, communityId, { title: 'Contested offer' });

      // Both requests read the listing while it is active; the close then writes first, the author's change second.
      const lock = await lockListing(t, listing.id);
      let closing: Promise<ListingPayloadView>;
      let changing: Promise<ListingPayloadView>;
      try {
        closing = updateListing(fixture.asCoordinator(), { listingId: listing.id, status: 'CLOSED' });
        await lock.waitForWaiters(1);
        changing = updateListing(author, { listingId: listing.id, status: 'ACTIVE', title: 'Reopened by its author' });
        await lock.waitForWaiters(2);
      } finally {
        await lock.release();
      }

      expect((await closing).userErrors).toEqual([]);
      expect((await changing).userErrors.map((error) => error.code)).toEqual(['LISTING_CLOSED']);
      expect(await listingRows(t, communityId)).toEqual([
        expect.objectContaining({ id: rowId(listing.id), status: 'closed', title: 'Contested offer' }),
      ]);
      expect(await auditRows(t, { communityId, action: 'listing.close' })).toHaveLength(1);
    });

    it('a coordinator of another community may not close it', async () => {
      const fixture = await createLedgerFixture(t, [{}]);
      const other = await createLedgerFixture(t, []);
      const listing = await postListing(fixture.as(fixture.members[0]), fixture.community.id);

      await expectAllDenied(fixture, other.asCoordinator(), listing.id, ['search', 'read', 'close']);
      expect(await auditRows(t, { communityId: other.community.id, targetType: 'listing' })).toEqual([]);
    });
  });
});
