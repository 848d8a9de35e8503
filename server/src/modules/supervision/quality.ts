/**
 * Seam 3 (docs interfaces): the quality module's service figures, taken as an optional
 * dependency. Without it the satisfaction, rectification and complaint figures are null
 * ("not available"), never 0.
 */
export interface ServiceQualityFigures {
  departmentId: string;
  evaluations: number;
  satisfied: number;
  badReviews: number;
  badRectified: number;
  complaints: number;
  complaintsOnTime: number;
}

export interface ServiceQualitySource {
  /** Per department, for ratings given and tickets opened in [from, to] (civil dates, Asia/Shanghai, inclusive). */
  figuresByDepartment(period: { from: string; to: string }): Promise<ServiceQualityFigures[]>;
}
