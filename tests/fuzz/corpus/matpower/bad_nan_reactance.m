function mpc = nan_reactance
% A NaN reactance: it was read as a line that carries any flow at no price difference (every LMP
% 30.00, the line "congested" at shadow price 0).
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
	1	2	0.01	NaN	0	40	0	0	0	0	1	-360	360;
];
mpc.gencost = [
	2	0	0	2	30	0;
];
