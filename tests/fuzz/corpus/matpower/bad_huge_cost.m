function mpc = huge_cost
% A marginal cost of 1e25 $/MWh: CLP aborted the process on it (Assertion 'fabs(obj[i]) < 1.0e25').
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
	2	0	0	2	1e25	0;
];
