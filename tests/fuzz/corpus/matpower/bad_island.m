function mpc = island
% Bus 3 has load and no line and no generator: `mfgrid opf` cleared it by shedding, where the same
% case named by a scenario was refused.
mpc.version = '2';
mpc.baseMVA = 100;
mpc.bus = [
	1	3	0	0	0	0	1	1	0	230	1	1.1	0.9;
	2	1	60	10	0	0	1	1	0	230	1	1.1	0.9;
	3	1	20	5	0	0	1	1	0	230	1	1.1	0.9;
];
mpc.gen = [
	1	0	0	100	-100	1	100	1	150	0;
];
mpc.branch = [
	1	2	0.01	0.1	0	0	0	0	0	0	1	-360	360;
];
mpc.gencost = [
	2	0	0	2	30	0;
];
