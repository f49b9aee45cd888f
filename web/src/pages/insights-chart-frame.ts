/** Every insights chart's frame: the legend above the plot, room for the axes' labels. */
export const FRAME = { legend: { top: 0, left: 'center' }, grid: { left: 48, right: 16, top: 48, bottom: 32 } };

/** Hours, to one decimal, for the charts' axes (the tables give the exact amounts). */
export const hours = (minutes: string, minorUnitsPerUnit: number): number =>
  Math.round((Number(minutes) / minorUnitsPerUnit) * 10) / 10;
