function mpc = gencost_count
% A piecewise-linear cost declaring -2 points: cast to size_t it wrapped past the bounds check and
% the reader ran off the end of the row.
mpc.version = '2';
mpc.baseMVA = 100;
mpc.bus = [
	1	3	0	0	0	0	1	1	0	230	1	1.1	0.9;
	2	1	60	10	0	0	1	1	0	230	1	1.1	0.9;
];
mpc.gen = [
	1	0	0	100	-100	1	100	1	150	0;
];
mpc.branch = [
	1	2	0.01	0.1	0	0	0	0	0	0	1	-360	360;
];
mpc.gencost = [
	1	0	0	-2	0	0	150	4500;
];
