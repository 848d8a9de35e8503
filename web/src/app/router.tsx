import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { RequireApplicant, RequireStaff } from './guards';
import { PublicLayout } from './layout/PublicLayout';
import { Loading, NotFound, PageError } from './status';
import { HomePage } from '../features/home/HomePage';
import { LoginPage } from '../features/identity/LoginPage';
import { MePage } from '../features/identity/MePage';
import { RegisterPage } from '../features/identity/RegisterPage';
import { CASE_STAFF_ROLES, CATALOG_ROLES, rolesFor } from '../features/workbench/navigation';

// The public pages load first and light; the staff workbench, and administration above all, are a
// few users' business, so their pages (and the antd parts only they use) load on demand.
const WorkbenchLayout = lazy(() => import('../features/workbench/WorkbenchLayout').then((m) => ({ default: m.WorkbenchLayout })));
const WorkbenchHome = lazy(() => import('../features/workbench/WorkbenchHome').then((m) => ({ default: m.WorkbenchHome })));
const RegionsPage = lazy(() => import('../features/org/RegionsPage').then((m) => ({ default: m.RegionsPage })));
const DepartmentsPage = lazy(() => import('../features/org/DepartmentsPage').then((m) => ({ default: m.DepartmentsPage })));
const StaffPage = lazy(() => import('../features/identity/StaffPage').then((m) => ({ default: m.StaffPage })));
const CalendarPage = lazy(() => import('../features/calendar/CalendarPage').then((m) => ({ default: m.CalendarPage })));

// The catalog: public guides and lists (loaded on demand too: the home page stays light), and its workbench.
const ItemSearchPage = lazy(() => import('../features/catalog/ItemSearchPage').then((m) => ({ default: m.ItemSearchPage })));
const GuidePage = lazy(() => import('../features/catalog/GuidePage').then((m) => ({ default: m.GuidePage })));
const BrowsePage = lazy(() => import('../features/catalog/BrowsePage').then((m) => ({ default: m.BrowsePage })));
const FourWaysPage = lazy(() => import('../features/catalog/FourWaysPage').then((m) => ({ default: m.FourWaysPage })));
const NoVisitPage = lazy(() => import('../features/catalog/PublicListsPages').then((m) => ({ default: m.NoVisitPage })));
const ProofsListPage = lazy(() => import('../features/catalog/PublicListsPages').then((m) => ({ default: m.ProofsListPage })));
const IntermediariesListPage = lazy(() => import('../features/catalog/PublicListsPages').then((m) => ({ default: m.IntermediariesListPage })));
const AdminItemsPage = lazy(() => import('../features/catalog/admin/AdminItemsPage').then((m) => ({ default: m.AdminItemsPage })));
const AdminItemPage = lazy(() => import('../features/catalog/admin/AdminItemPage').then((m) => ({ default: m.AdminItemPage })));
const VersionPage = lazy(() => import('../features/catalog/admin/VersionPage').then((m) => ({ default: m.VersionPage })));
const ReviewPage = lazy(() => import('../features/catalog/admin/ReviewPage').then((m) => ({ default: m.ReviewPage })));
const ProofsAdminPage = lazy(() => import('../features/catalog/admin/ListAdminPages').then((m) => ({ default: m.ProofsAdminPage })));
const IntermediariesAdminPage = lazy(() => import('../features/catalog/admin/ListAdminPages').then((m) => ({ default: m.IntermediariesAdminPage })));
const SynonymsPage = lazy(() => import('../features/catalog/admin/SynonymsPage').then((m) => ({ default: m.SynonymsPage })));

// Case handling: the applicant's wizard and cases (public frame), the front desk and the approver's workbench.
const ApplyPage = lazy(() => import('../features/cases/ApplyPage').then((m) => ({ default: m.ApplyPage })));
const MyCasesPage = lazy(() => import('../features/cases/MyCasesPage').then((m) => ({ default: m.MyCasesPage })));
const CaseDetailPage = lazy(() => import('../features/cases/CaseDetailPage').then((m) => ({ default: m.CaseDetailPage })));
const FrontDeskPage = lazy(() => import('../features/cases/QueuePages').then((m) => ({ default: m.FrontDeskPage })));
const TasksPage = lazy(() => import('../features/cases/QueuePages').then((m) => ({ default: m.TasksPage })));
const WalkInPage = lazy(() => import('../features/cases/WalkInPage').then((m) => ({ default: m.WalkInPage })));
const StaffCasePage = lazy(() => import('../features/cases/StaffCasePage').then((m) => ({ default: m.StaffCasePage })));

// Data sharing and exchange: the workbench's sharing pages and the applicant's own data page.
const SharingCatalogPage = lazy(() => import('../features/sharing/CatalogPage').then((m) => ({ default: m.CatalogPage })));
const MyResourcesPage = lazy(() => import('../features/sharing/MyResourcesPage').then((m) => ({ default: m.MyResourcesPage })));
const SharingRequestsPage = lazy(() => import('../features/sharing/RequestsPage').then((m) => ({ default: m.RequestsPage })));
const SharingGrantsPage = lazy(() => import('../features/sharing/GrantsPage').then((m) => ({ default: m.GrantsPage })));
const SharingCredentialsPage = lazy(() => import('../features/sharing/CredentialsPage').then((m) => ({ default: m.CredentialsPage })));
const AccessLogPage = lazy(() => import('../features/sharing/AccessLogPage').then((m) => ({ default: m.AccessLogPage })));
const RulesEditorPage = lazy(() => import('../features/rules/RulesEditorPage').then((m) => ({ default: m.RulesEditorPage })));
const CreditAdminPage = lazy(() => import('../features/credit/CreditAdminPage').then((m) => ({ default: m.CreditAdminPage })));
const MyCreditPage = lazy(() => import('../features/credit/MyCreditPage').then((m) => ({ default: m.MyCreditPage })));
const VerificationsPage = lazy(() => import('../features/credit/VerificationsPage').then((m) => ({ default: m.VerificationsPage })));
const MyDataPage = lazy(() => import('../features/sharing/MyDataPage').then((m) => ({ default: m.MyDataPage })));

// E-licenses: the holder's wallet and the public verification page the QR code on a license opens.
const WalletPage = lazy(() => import('../features/licenses/WalletPage').then((m) => ({ default: m.WalletPage })));
const VerifyPage = lazy(() => import('../features/licenses/VerifyPage').then((m) => ({ default: m.VerifyPage })));
// Service quality: the public statistics, the hall window's rating page, the applicant's tickets, the quality desk.
const PublicStatsPage = lazy(() => import('../features/quality/PublicStatsPage').then((m) => ({ default: m.PublicStatsPage })));
const HallRatingPage = lazy(() => import('../features/quality/HallRatingPage').then((m) => ({ default: m.HallRatingPage })));
const VisitRatingPage = lazy(() => import('../features/quality/HallRatingPage').then((m) => ({ default: m.VisitRatingPage })));
const MyTicketsPage = lazy(() => import('../features/quality/MyTicketsPage').then((m) => ({ default: m.MyTicketsPage })));
const QualityDeskPage = lazy(() => import('../features/quality/QualityDeskPage').then((m) => ({ default: m.QualityDeskPage })));
const QualitySettingsPage = lazy(() => import('../features/quality/QualitySettingsPage').then((m) => ({ default: m.QualitySettingsPage })));
const QrCodesPage = lazy(() => import('../features/quality/QrCodesPage').then((m) => ({ default: m.QrCodesPage })));
// Efficiency supervision: the command centre at the workbench and the public disclosure page.
const SupervisionDashboardPage = lazy(() => import('../features/supervision/DashboardPage').then((m) => ({ default: m.SupervisionDashboardPage })));
const PublicDisclosurePage = lazy(() => import('../features/supervision/PublicDisclosurePage').then((m) => ({ default: m.PublicDisclosurePage })));

function admin(path: string, page: ReactNode) {
  return { path, element: <RequireStaff roles={rolesFor(`/${path}`)}>{page}</RequireStaff> };
}

/** A catalog workbench page below a menu entry (an item, a version): the catalog roles. */
function catalogAdmin(path: string, page: ReactNode) {
  return { path, element: <RequireStaff roles={CATALOG_ROLES}>{page}</RequireStaff> };
}

/** A case opened at the workbench: anyone who reads cases may open it; the server answers 404 outside their reach. */
function caseDesk(path: string, page: ReactNode) {
  return { path, element: <RequireStaff roles={CASE_STAFF_ROLES}>{page}</RequireStaff> };
}

/** A lazily loaded public page, with the loading indicator in the page frame. */
function lazyPage(page: ReactNode) {
  return <Suspense fallback={<Loading />}>{page}</Suspense>;
}

export const router = createBrowserRouter([
  {
    element: <PublicLayout />,
    errorElement: <PageError />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'register', element: <RegisterPage /> },
      { path: 'login', element: <LoginPage /> },
      { path: 'me', element: <RequireApplicant><MePage /></RequireApplicant> },
      { path: 'me/cases', element: <RequireApplicant>{lazyPage(<MyCasesPage />)}</RequireApplicant> },
      { path: 'me/data', element: <RequireApplicant>{lazyPage(<MyDataPage />)}</RequireApplicant> },
      { path: 'me/licenses', element: <RequireApplicant>{lazyPage(<WalletPage />)}</RequireApplicant> },
      { path: 'me/credit', element: <RequireApplicant>{lazyPage(<MyCreditPage />)}</RequireApplicant> },
      { path: 'verify/:licenseId', element: lazyPage(<VerifyPage />) },
      { path: 'me/cases/:caseNumber', element: <RequireApplicant>{lazyPage(<CaseDetailPage />)}</RequireApplicant> },
      { path: 'apply/:itemCode', element: <RequireApplicant>{lazyPage(<ApplyPage />)}</RequireApplicant> },
      { path: 'items', element: lazyPage(<ItemSearchPage />) },
      { path: 'items/:implementationCode', element: lazyPage(<GuidePage />) },
      { path: 'items/:implementationCode/versions/:version', element: lazyPage(<GuidePage />) },
      { path: 'catalog', element: lazyPage(<BrowsePage />) },
      { path: 'catalog/four-ways', element: lazyPage(<FourWaysPage />) },
      { path: 'catalog/no-visit', element: lazyPage(<NoVisitPage />) },
      { path: 'catalog/proofs', element: lazyPage(<ProofsListPage />) },
      { path: 'catalog/intermediaries', element: lazyPage(<IntermediariesListPage />) },
      { path: 'quality/stats', element: lazyPage(<PublicStatsPage />) },
      { path: 'rate/hall/:hallId/:window', element: <RequireApplicant>{lazyPage(<HallRatingPage />)}</RequireApplicant> },
      { path: 'rate/visit/:visitId', element: <RequireApplicant>{lazyPage(<VisitRatingPage />)}</RequireApplicant> },
      { path: 'me/tickets', element: <RequireApplicant>{lazyPage(<MyTicketsPage />)}</RequireApplicant> },
      { path: 'disclosure', element: lazyPage(<PublicDisclosurePage />) },
      { path: '*', element: <NotFound /> },
    ],
  },
  {
    element: (
      <RequireStaff>
        <Suspense fallback={<Loading />}>
          <WorkbenchLayout />
        </Suspense>
      </RequireStaff>
    ),
    errorElement: <PageError />,
    children: [
      { path: 'workbench', element: <WorkbenchHome /> },
      admin('workbench/front-desk', <FrontDeskPage />),
      admin('workbench/front-desk/new', <WalkInPage />),
      caseDesk('workbench/front-desk/cases/:caseNumber', <StaffCasePage from="front-desk" />),
      admin('workbench/tasks', <TasksPage />),
      caseDesk('workbench/tasks/cases/:caseNumber', <StaffCasePage from="tasks" />),
      admin('admin/regions', <RegionsPage />),
      admin('admin/departments', <DepartmentsPage />),
      admin('admin/staff', <StaffPage />),
      admin('admin/calendar', <CalendarPage />),
      admin('workbench/catalog/items', <AdminItemsPage />),
      catalogAdmin('workbench/catalog/items/:implementationCode', <AdminItemPage />),
      catalogAdmin('workbench/catalog/items/:implementationCode/versions/:version', <VersionPage />),
      admin('workbench/catalog/review', <ReviewPage />),
      admin('workbench/catalog/proofs', <ProofsAdminPage />),
      admin('workbench/catalog/intermediaries', <IntermediariesAdminPage />),
      admin('workbench/catalog/synonyms', <SynonymsPage />),
      admin('workbench/sharing/catalog', <SharingCatalogPage />),
      admin('workbench/sharing/resources', <MyResourcesPage />),
      admin('workbench/sharing/requests', <SharingRequestsPage />),
      admin('workbench/sharing/grants', <SharingGrantsPage />),
      admin('workbench/sharing/credentials', <SharingCredentialsPage />),
      admin('workbench/sharing/access-log', <AccessLogPage />),
      admin('workbench/quality/desk', <QualityDeskPage />),
      admin('workbench/quality/supervision', <QualityDeskPage supervisor />),
      admin('workbench/quality/qr-codes', <QrCodesPage />),
      admin('workbench/quality/settings', <QualitySettingsPage />),
      catalogAdmin('workbench/catalog/items/:implementationCode/versions/:version/rules', <RulesEditorPage />),
      admin('workbench/credit', <CreditAdminPage />),
      admin('workbench/verifications', <VerificationsPage />),
      admin('workbench/supervision', <SupervisionDashboardPage />),
    ],
  },
]);
