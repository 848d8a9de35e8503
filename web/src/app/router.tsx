import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { RequireApplicant, RequireStaff } from './guards';
import { PublicLayout } from './layout/PublicLayout';
import { Loading, NotFound, PageError } from './status';
import { HomePage } from '../features/home/HomePage';
import { LoginPage } from '../features/identity/LoginPage';
import { MePage } from '../features/identity/MePage';
import { RegisterPage } from '../features/identity/RegisterPage';
import { rolesFor } from '../features/workbench/navigation';

// The public pages load first and light; the staff workbench, and administration above all, are a
// few users' business, so their pages (and the antd parts only they use) load on demand.
const WorkbenchLayout = lazy(() => import('../features/workbench/WorkbenchLayout').then((m) => ({ default: m.WorkbenchLayout })));
const WorkbenchHome = lazy(() => import('../features/workbench/WorkbenchHome').then((m) => ({ default: m.WorkbenchHome })));
const RegionsPage = lazy(() => import('../features/org/RegionsPage').then((m) => ({ default: m.RegionsPage })));
const DepartmentsPage = lazy(() => import('../features/org/DepartmentsPage').then((m) => ({ default: m.DepartmentsPage })));
const StaffPage = lazy(() => import('../features/identity/StaffPage').then((m) => ({ default: m.StaffPage })));
const CalendarPage = lazy(() => import('../features/calendar/CalendarPage').then((m) => ({ default: m.CalendarPage })));

function admin(path: string, page: ReactNode) {
  return { path, element: <RequireStaff roles={rolesFor(`/${path}`)}>{page}</RequireStaff> };
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
      admin('admin/regions', <RegionsPage />),
      admin('admin/departments', <DepartmentsPage />),
      admin('admin/staff', <StaffPage />),
      admin('admin/calendar', <CalendarPage />),
    ],
  },
]);
