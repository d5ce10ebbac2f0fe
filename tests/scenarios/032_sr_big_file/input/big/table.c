/* generated: one small function per value */
#include "table.h"

int f0001(int x) {
    return x + 1;
}

int f0002(int x) {
    return x + 2;
}

int f0003(int x) {
    return x + 3;
}

int f0004(int x) {
    return x + 4;
}

int f0005(int x) {
    return x + 5;
}

int f0006(int x) {
    return x + 6;
}

int f0007(int x) {
    return x + 7;
}

int f0008(int x) {
    return x + 8;
}

int f0009(int x) {
    return x + 9;
}

int f0010(int x) {
    return x + 10;
}

int f0011(int x) {
    return x + 11;
}

int f0012(int x) {
    return x + 12;
}

int f0013(int x) {
    return x + 13;
}

int f0014(int x) {
    return x + 14;
}

int f0015(int x) {
    return x + 15;
}

int f0016(int x) {
    return x + 16;
}

int f0017(int x) {
    return x + 17;
}

int f0018(int x) {
    return x + 18;
}

int f0019(int x) {
    return x + 19;
}

int f0020(int x) {
    return x + 20;
}

int f0021(int x) {
    return x + 21;
}

int f0022(int x) {
    return x + 22;
}

int f0023(int x) {
    return x + 23;
}

int f0024(int x) {
    return x + 24;
}

int f0025(int x) {
    return x + 25;
}

int f0026(int x) {
    return x + 26;
}

int f0027(int x) {
    return x + 27;
}

int f0028(int x) {
    return x + 28;
}

int f0029(int x) {
    return x + 29;
}

int f0030(int x) {
    return x + 30;
}

int f0031(int x) {
    return x + 31;
}

int f0032(int x) {
    return x + 32;
}

int f0033(int x) {
    return x + 33;
}

int f0034(int x) {
    return x + 34;
}

int f0035(int x) {
    return x + 35;
}

int f0036(int x) {
    return x + 36;
}

int f0037(int x) {
    return x + 37;
}

int f0038(int x) {
    return x + 38;
}

int f0039(int x) {
    return x + 39;
}

int f0040(int x) {
    return x + 40;
}

int f0041(int x) {
    return x + 41;
}

int f0042(int x) {
    return x + 42;
}

int f0043(int x) {
    return x + 43;
}

int f0044(int x) {
    return x + 44;
}

int f0045(int x) {
    return x + 45;
}

int f0046(int x) {
    return x + 46;
}

int f0047(int x) {
    return x + 47;
}

int f0048(int x) {
    return x + 48;
}

int f0049(int x) {
    return x + 49;
}

int f0050(int x) {
    return x + 50;
}

int f0051(int x) {
    return x + 51;
}

int f0052(int x) {
    return x + 52;
}

int f0053(int x) {
    return x + 53;
}

int f0054(int x) {
    return x + 54;
}

int f0055(int x) {
    return x + 55;
}

int f0056(int x) {
    return x + 56;
}

int f0057(int x) {
    return x + 57;
}

int f0058(int x) {
    return x + 58;
}

int f0059(int x) {
    return x + 59;
}

int f0060(int x) {
    return x + 60;
}

int f0061(int x) {
    return x + 61;
}

int f0062(int x) {
    return x + 62;
}

int f0063(int x) {
    return x + 63;
}

int f0064(int x) {
    return x + 64;
}

int f0065(int x) {
    return x + 65;
}

int f0066(int x) {
    return x + 66;
}

int f0067(int x) {
    return x + 67;
}

int f0068(int x) {
    return x + 68;
}

int f0069(int x) {
    return x + 69;
}

int f0070(int x) {
    return x + 70;
}

int f0071(int x) {
    return x + 71;
}

int f0072(int x) {
    return x + 72;
}

int f0073(int x) {
    return x + 73;
}

int f0074(int x) {
    return x + 74;
}

int f0075(int x) {
    return x + 75;
}

int f0076(int x) {
    return x + 76;
}

int f0077(int x) {
    return x + 77;
}

int f0078(int x) {
    return x + 78;
}

int f0079(int x) {
    return x + 79;
}

int f0080(int x) {
    return x + 80;
}

int f0081(int x) {
    return x + 81;
}

int f0082(int x) {
    return x + 82;
}

int f0083(int x) {
    return x + 83;
}

int f0084(int x) {
    return x + 84;
}

int f0085(int x) {
    return x + 85;
}

int f0086(int x) {
    return x + 86;
}

int f0087(int x) {
    return x + 87;
}

int f0088(int x) {
    return x + 88;
}

int f0089(int x) {
    return x + 89;
}

int f0090(int x) {
    return x + 90;
}

int f0091(int x) {
    return x + 91;
}

int f0092(int x) {
    return x + 92;
}

int f0093(int x) {
    return x + 93;
}

int f0094(int x) {
    return x + 94;
}

int f0095(int x) {
    return x + 95;
}

int f0096(int x) {
    return x + 96;
}

int f0097(int x) {
    return x + 97;
}

int f0098(int x) {
    return x + 98;
}

int f0099(int x) {
    return x + 99;
}

int f0100(int x) {
    return x + 100;
}

int f0101(int x) {
    return x + 101;
}

int f0102(int x) {
    return x + 102;
}

int f0103(int x) {
    return x + 103;
}

int f0104(int x) {
    return x + 104;
}

int f0105(int x) {
    return x + 105;
}

int f0106(int x) {
    return x + 106;
}

int f0107(int x) {
    return x + 107;
}

int f0108(int x) {
    return x + 108;
}

int f0109(int x) {
    return x + 109;
}

int f0110(int x) {
    return x + 110;
}

int f0111(int x) {
    return x + 111;
}

int f0112(int x) {
    return x + 112;
}

int f0113(int x) {
    return x + 113;
}

int f0114(int x) {
    return x + 114;
}

int f0115(int x) {
    return x + 115;
}

int f0116(int x) {
    return x + 116;
}

int f0117(int x) {
    return x + 117;
}

int f0118(int x) {
    return x + 118;
}

int f0119(int x) {
    return x + 119;
}

int f0120(int x) {
    return x + 120;
}

int f0121(int x) {
    return x + 121;
}

int f0122(int x) {
    return x + 122;
}

int f0123(int x) {
    return x + 123;
}

int f0124(int x) {
    return x + 124;
}

int f0125(int x) {
    return x + 125;
}

int f0126(int x) {
    return x + 126;
}

int f0127(int x) {
    return x + 127;
}

int f0128(int x) {
    return x + 128;
}

int f0129(int x) {
    return x + 129;
}

int f0130(int x) {
    return x + 130;
}

int f0131(int x) {
    return x + 131;
}

int f0132(int x) {
    return x + 132;
}

int f0133(int x) {
    return x + 133;
}

int f0134(int x) {
    return x + 134;
}

int f0135(int x) {
    return x + 135;
}

int f0136(int x) {
    return x + 136;
}

int f0137(int x) {
    return x + 137;
}

int f0138(int x) {
    return x + 138;
}

int f0139(int x) {
    return x + 139;
}

int f0140(int x) {
    return x + 140;
}

int f0141(int x) {
    return x + 141;
}

int f0142(int x) {
    return x + 142;
}

int f0143(int x) {
    return x + 143;
}

int f0144(int x) {
    return x + 144;
}

int f0145(int x) {
    return x + 145;
}

int f0146(int x) {
    return x + 146;
}

int f0147(int x) {
    return x + 147;
}

int f0148(int x) {
    return x + 148;
}

int f0149(int x) {
    return x + 149;
}

int f0150(int x) {
    return x + 150;
}

int f0151(int x) {
    return x + 151;
}

int f0152(int x) {
    return x + 152;
}

int f0153(int x) {
    return x + 153;
}

int f0154(int x) {
    return x + 154;
}

int f0155(int x) {
    return x + 155;
}

int f0156(int x) {
    return x + 156;
}

int f0157(int x) {
    return x + 157;
}

int f0158(int x) {
    return x + 158;
}

int f0159(int x) {
    return x + 159;
}

int f0160(int x) {
    return x + 160;
}

int f0161(int x) {
    return x + 161;
}

int f0162(int x) {
    return x + 162;
}

int f0163(int x) {
    return x + 163;
}

int f0164(int x) {
    return x + 164;
}

int f0165(int x) {
    return x + 165;
}

int f0166(int x) {
    return x + 166;
}

int f0167(int x) {
    return x + 167;
}

int f0168(int x) {
    return x + 168;
}

int f0169(int x) {
    return x + 169;
}

int f0170(int x) {
    return x + 170;
}

int f0171(int x) {
    return x + 171;
}

int f0172(int x) {
    return x + 172;
}

int f0173(int x) {
    return x + 173;
}

int f0174(int x) {
    return x + 174;
}

int f0175(int x) {
    return x + 175;
}

int f0176(int x) {
    return x + 176;
}

int f0177(int x) {
    return x + 177;
}

int f0178(int x) {
    return x + 178;
}

int f0179(int x) {
    return x + 179;
}

int f0180(int x) {
    return x + 180;
}

int f0181(int x) {
    return x + 181;
}

int f0182(int x) {
    return x + 182;
}

int f0183(int x) {
    return x + 183;
}

int f0184(int x) {
    return x + 184;
}

int f0185(int x) {
    return x + 185;
}

int f0186(int x) {
    return x + 186;
}

int f0187(int x) {
    return x + 187;
}

int f0188(int x) {
    return x + 188;
}

int f0189(int x) {
    return x + 189;
}

int f0190(int x) {
    return x + 190;
}

int f0191(int x) {
    return x + 191;
}

int f0192(int x) {
    return x + 192;
}

int f0193(int x) {
    return x + 193;
}

int f0194(int x) {
    return x + 194;
}

int f0195(int x) {
    return x + 195;
}

int f0196(int x) {
    return x + 196;
}

int f0197(int x) {
    return x + 197;
}

int f0198(int x) {
    return x + 198;
}

int f0199(int x) {
    return x + 199;
}

int f0200(int x) {
    return x + 200;
}

int f0201(int x) {
    return x + 201;
}

int f0202(int x) {
    return x + 202;
}

int f0203(int x) {
    return x + 203;
}

int f0204(int x) {
    return x + 204;
}

int f0205(int x) {
    return x + 205;
}

int f0206(int x) {
    return x + 206;
}

int f0207(int x) {
    return x + 207;
}

int f0208(int x) {
    return x + 208;
}

int f0209(int x) {
    return x + 209;
}

int f0210(int x) {
    return x + 210;
}

int f0211(int x) {
    return x + 211;
}

int f0212(int x) {
    return x + 212;
}

int f0213(int x) {
    return x + 213;
}

int f0214(int x) {
    return x + 214;
}

int f0215(int x) {
    return x + 215;
}

int f0216(int x) {
    return x + 216;
}

int f0217(int x) {
    return x + 217;
}

int f0218(int x) {
    return x + 218;
}

int f0219(int x) {
    return x + 219;
}

int f0220(int x) {
    return x + 220;
}

int f0221(int x) {
    return x + 221;
}

int f0222(int x) {
    return x + 222;
}

int f0223(int x) {
    return x + 223;
}

int f0224(int x) {
    return x + 224;
}

int f0225(int x) {
    return x + 225;
}

int f0226(int x) {
    return x + 226;
}

int f0227(int x) {
    return x + 227;
}

int f0228(int x) {
    return x + 228;
}

int f0229(int x) {
    return x + 229;
}

int f0230(int x) {
    return x + 230;
}

int f0231(int x) {
    return x + 231;
}

int f0232(int x) {
    return x + 232;
}

int f0233(int x) {
    return x + 233;
}

int f0234(int x) {
    return x + 234;
}

int f0235(int x) {
    return x + 235;
}

int f0236(int x) {
    return x + 236;
}

int f0237(int x) {
    return x + 237;
}

int f0238(int x) {
    return x + 238;
}

int f0239(int x) {
    return x + 239;
}

int f0240(int x) {
    return x + 240;
}

int f0241(int x) {
    return x + 241;
}

int f0242(int x) {
    return x + 242;
}

int f0243(int x) {
    return x + 243;
}

int f0244(int x) {
    return x + 244;
}

int f0245(int x) {
    return x + 245;
}

int f0246(int x) {
    return x + 246;
}

int f0247(int x) {
    return x + 247;
}

int f0248(int x) {
    return x + 248;
}

int f0249(int x) {
    return x + 249;
}

int f0250(int x) {
    return x + 250;
}

int f0251(int x) {
    return x + 251;
}

int f0252(int x) {
    return x + 252;
}

int f0253(int x) {
    return x + 253;
}

int f0254(int x) {
    return x + 254;
}

int f0255(int x) {
    return x + 255;
}

int f0256(int x) {
    return x + 256;
}

int f0257(int x) {
    return x + 257;
}

int f0258(int x) {
    return x + 258;
}

int f0259(int x) {
    return x + 259;
}

int f0260(int x) {
    return x + 260;
}

int f0261(int x) {
    return x + 261;
}

int f0262(int x) {
    return x + 262;
}

int f0263(int x) {
    return x + 263;
}

int f0264(int x) {
    return x + 264;
}

int f0265(int x) {
    return x + 265;
}

int f0266(int x) {
    return x + 266;
}

int f0267(int x) {
    return x + 267;
}

int f0268(int x) {
    return x + 268;
}

int f0269(int x) {
    return x + 269;
}

int f0270(int x) {
    return x + 270;
}

int f0271(int x) {
    return x + 271;
}

int f0272(int x) {
    return x + 272;
}

int f0273(int x) {
    return x + 273;
}

int f0274(int x) {
    return x + 274;
}

int f0275(int x) {
    return x + 275;
}

int f0276(int x) {
    return x + 276;
}

int f0277(int x) {
    return x + 277;
}

int f0278(int x) {
    return x + 278;
}

int f0279(int x) {
    return x + 279;
}

int f0280(int x) {
    return x + 280;
}

int f0281(int x) {
    return x + 281;
}

int f0282(int x) {
    return x + 282;
}

int f0283(int x) {
    return x + 283;
}

int f0284(int x) {
    return x + 284;
}

int f0285(int x) {
    return x + 285;
}

int f0286(int x) {
    return x + 286;
}

int f0287(int x) {
    return x + 287;
}

int f0288(int x) {
    return x + 288;
}

int f0289(int x) {
    return x + 289;
}

int f0290(int x) {
    return x + 290;
}

int f0291(int x) {
    return x + 291;
}

int f0292(int x) {
    return x + 292;
}

int f0293(int x) {
    return x + 293;
}

int f0294(int x) {
    return x + 294;
}

int f0295(int x) {
    return x + 295;
}

int f0296(int x) {
    return x + 296;
}

int f0297(int x) {
    return x + 297;
}

int f0298(int x) {
    return x + 298;
}

int f0299(int x) {
    return x + 299;
}

int f0300(int x) {
    return x + 300;
}

int f0301(int x) {
    return x + 301;
}

int f0302(int x) {
    return x + 302;
}

int f0303(int x) {
    return x + 303;
}

int f0304(int x) {
    return x + 304;
}

int f0305(int x) {
    return x + 305;
}

int f0306(int x) {
    return x + 306;
}

int f0307(int x) {
    return x + 307;
}

int f0308(int x) {
    return x + 308;
}

int f0309(int x) {
    return x + 309;
}

int f0310(int x) {
    return x + 310;
}

int f0311(int x) {
    return x + 311;
}

int f0312(int x) {
    return x + 312;
}

int f0313(int x) {
    return x + 313;
}

int f0314(int x) {
    return x + 314;
}

int f0315(int x) {
    return x + 315;
}

int f0316(int x) {
    return x + 316;
}

int f0317(int x) {
    return x + 317;
}

int f0318(int x) {
    return x + 318;
}

int f0319(int x) {
    return x + 319;
}

int f0320(int x) {
    return x + 320;
}

int f0321(int x) {
    return x + 321;
}

int f0322(int x) {
    return x + 322;
}

int f0323(int x) {
    return x + 323;
}

int f0324(int x) {
    return x + 324;
}

int f0325(int x) {
    return x + 325;
}

int f0326(int x) {
    return x + 326;
}

int f0327(int x) {
    return x + 327;
}

int f0328(int x) {
    return x + 328;
}

int f0329(int x) {
    return x + 329;
}

int f0330(int x) {
    return x + 330;
}

int f0331(int x) {
    return x + 331;
}

int f0332(int x) {
    return x + 332;
}

int f0333(int x) {
    return x + 333;
}

int f0334(int x) {
    return x + 334;
}

int f0335(int x) {
    return x + 335;
}

int f0336(int x) {
    return x + 336;
}

int f0337(int x) {
    return x + 337;
}

int f0338(int x) {
    return x + 338;
}

int f0339(int x) {
    return x + 339;
}

int f0340(int x) {
    return x + 340;
}

int f0341(int x) {
    return x + 341;
}

int f0342(int x) {
    return x + 342;
}

int f0343(int x) {
    return x + 343;
}

int f0344(int x) {
    return x + 344;
}

int f0345(int x) {
    return x + 345;
}

int f0346(int x) {
    return x + 346;
}

int f0347(int x) {
    return x + 347;
}

int f0348(int x) {
    return x + 348;
}

int f0349(int x) {
    return x + 349;
}

int f0350(int x) {
    return x + 350;
}

int f0351(int x) {
    return x + 351;
}

int f0352(int x) {
    return x + 352;
}

int f0353(int x) {
    return x + 353;
}

int f0354(int x) {
    return x + 354;
}

int f0355(int x) {
    return x + 355;
}

int f0356(int x) {
    return x + 356;
}

int f0357(int x) {
    return x + 357;
}

int f0358(int x) {
    return x + 358;
}

int f0359(int x) {
    return x + 359;
}

int f0360(int x) {
    return x + 360;
}

int f0361(int x) {
    return x + 361;
}

int f0362(int x) {
    return x + 362;
}

int f0363(int x) {
    return x + 363;
}

int f0364(int x) {
    return x + 364;
}

int f0365(int x) {
    return x + 365;
}

int f0366(int x) {
    return x + 366;
}

int f0367(int x) {
    return x + 367;
}

int f0368(int x) {
    return x + 368;
}

int f0369(int x) {
    return x + 369;
}

int f0370(int x) {
    return x + 370;
}

int f0371(int x) {
    return x + 371;
}

int f0372(int x) {
    return x + 372;
}

int f0373(int x) {
    return x + 373;
}

int f0374(int x) {
    return x + 374;
}

int f0375(int x) {
    return x + 375;
}

int f0376(int x) {
    return x + 376;
}

int f0377(int x) {
    return x + 377;
}

int f0378(int x) {
    return x + 378;
}

int f0379(int x) {
    return x + 379;
}

int f0380(int x) {
    return x + 380;
}

int f0381(int x) {
    return x + 381;
}

int f0382(int x) {
    return x + 382;
}

int f0383(int x) {
    return x + 383;
}

int f0384(int x) {
    return x + 384;
}

int f0385(int x) {
    return x + 385;
}

int f0386(int x) {
    return x + 386;
}

int f0387(int x) {
    return x + 387;
}

int f0388(int x) {
    return x + 388;
}

int f0389(int x) {
    return x + 389;
}

int f0390(int x) {
    return x + 390;
}

int f0391(int x) {
    return x + 391;
}

int f0392(int x) {
    return x + 392;
}

int f0393(int x) {
    return x + 393;
}

int f0394(int x) {
    return x + 394;
}

int f0395(int x) {
    return x + 395;
}

int f0396(int x) {
    return x + 396;
}

int f0397(int x) {
    return x + 397;
}

int f0398(int x) {
    return x + 398;
}

int f0399(int x) {
    return x + 399;
}

int f0400(int x) {
    return x + 400;
}

int f0401(int x) {
    return x + 401;
}

int f0402(int x) {
    return x + 402;
}

int f0403(int x) {
    return x + 403;
}

int f0404(int x) {
    return x + 404;
}

int f0405(int x) {
    return x + 405;
}

int f0406(int x) {
    return x + 406;
}

int f0407(int x) {
    return x + 407;
}

int f0408(int x) {
    return x + 408;
}

int f0409(int x) {
    return x + 409;
}

int f0410(int x) {
    return x + 410;
}

int f0411(int x) {
    return x + 411;
}

int f0412(int x) {
    return x + 412;
}

int f0413(int x) {
    return x + 413;
}

int f0414(int x) {
    return x + 414;
}

int f0415(int x) {
    return x + 415;
}

int f0416(int x) {
    return x + 416;
}

int f0417(int x) {
    return x + 417;
}

int f0418(int x) {
    return x + 418;
}

int f0419(int x) {
    return x + 419;
}

int f0420(int x) {
    return x + 420;
}

int f0421(int x) {
    return x + 421;
}

int f0422(int x) {
    return x + 422;
}

int f0423(int x) {
    return x + 423;
}

int f0424(int x) {
    return x + 424;
}

int f0425(int x) {
    return x + 425;
}

int f0426(int x) {
    return x + 426;
}

int f0427(int x) {
    return x + 427;
}

int f0428(int x) {
    return x + 428;
}

int f0429(int x) {
    return x + 429;
}

int f0430(int x) {
    return x + 430;
}

int f0431(int x) {
    return x + 431;
}

int f0432(int x) {
    return x + 432;
}

int f0433(int x) {
    return x + 433;
}

int f0434(int x) {
    return x + 434;
}

int f0435(int x) {
    return x + 435;
}

int f0436(int x) {
    return x + 436;
}

int f0437(int x) {
    return x + 437;
}

int f0438(int x) {
    return x + 438;
}

int f0439(int x) {
    return x + 439;
}

int f0440(int x) {
    return x + 440;
}

int f0441(int x) {
    return x + 441;
}

int f0442(int x) {
    return x + 442;
}

int f0443(int x) {
    return x + 443;
}

int f0444(int x) {
    return x + 444;
}

int f0445(int x) {
    return x + 445;
}

int f0446(int x) {
    return x + 446;
}

int f0447(int x) {
    return x + 447;
}

int f0448(int x) {
    return x + 448;
}

int f0449(int x) {
    return x + 449;
}

int f0450(int x) {
    return x + 450;
}

int f0451(int x) {
    return x + 451;
}

int f0452(int x) {
    return x + 452;
}

int f0453(int x) {
    return x + 453;
}

int f0454(int x) {
    return x + 454;
}

int f0455(int x) {
    return x + 455;
}

int f0456(int x) {
    return x + 456;
}

int f0457(int x) {
    return x + 457;
}

int f0458(int x) {
    return x + 458;
}

int f0459(int x) {
    return x + 459;
}

int f0460(int x) {
    return x + 460;
}

int f0461(int x) {
    return x + 461;
}

int f0462(int x) {
    return x + 462;
}

int f0463(int x) {
    return x + 463;
}

int f0464(int x) {
    return x + 464;
}

int f0465(int x) {
    return x + 465;
}

int f0466(int x) {
    return x + 466;
}

int f0467(int x) {
    return x + 467;
}

int f0468(int x) {
    return x + 468;
}

int f0469(int x) {
    return x + 469;
}

int f0470(int x) {
    return x + 470;
}

int f0471(int x) {
    return x + 471;
}

int f0472(int x) {
    return x + 472;
}

int f0473(int x) {
    return x + 473;
}

int f0474(int x) {
    return x + 474;
}

int f0475(int x) {
    return x + 475;
}

int f0476(int x) {
    return x + 476;
}

int f0477(int x) {
    return x + 477;
}

int f0478(int x) {
    return x + 478;
}

int f0479(int x) {
    return x + 479;
}

int f0480(int x) {
    return x + 480;
}

int f0481(int x) {
    return x + 481;
}

int f0482(int x) {
    return x + 482;
}

int f0483(int x) {
    return x + 483;
}

int f0484(int x) {
    return x + 484;
}

int f0485(int x) {
    return x + 485;
}

int f0486(int x) {
    return x + 486;
}

int f0487(int x) {
    return x + 487;
}

int f0488(int x) {
    return x + 488;
}

int f0489(int x) {
    return x + 489;
}

int f0490(int x) {
    return x + 490;
}

int f0491(int x) {
    return x + 491;
}

int f0492(int x) {
    return x + 492;
}

int f0493(int x) {
    return x + 493;
}

int f0494(int x) {
    return x + 494;
}

int f0495(int x) {
    return x + 495;
}

int f0496(int x) {
    return x + 496;
}

int f0497(int x) {
    return x + 497;
}

int f0498(int x) {
    return x + 498;
}

int f0499(int x) {
    return x + 499;
}

int f0500(int x) {
    return x + 500;
}

int f0501(int x) {
    return x + 501;
}

int f0502(int x) {
    return x + 502;
}

int f0503(int x) {
    return x + 503;
}

int f0504(int x) {
    return x + 504;
}

int f0505(int x) {
    return x + 505;
}

int f0506(int x) {
    return x + 506;
}

int f0507(int x) {
    return x + 507;
}

int f0508(int x) {
    return x + 508;
}

int f0509(int x) {
    return x + 509;
}

int f0510(int x) {
    return x + 510;
}

int f0511(int x) {
    return x + 511;
}

int f0512(int x) {
    return x + 512;
}

int f0513(int x) {
    return x + 513;
}

int f0514(int x) {
    return x + 514;
}

int f0515(int x) {
    return x + 515;
}

int f0516(int x) {
    return x + 516;
}

int f0517(int x) {
    return x + 517;
}

int f0518(int x) {
    return x + 518;
}

int f0519(int x) {
    return x + 519;
}

int f0520(int x) {
    return x + 520;
}

int f0521(int x) {
    return x + 521;
}

int f0522(int x) {
    return x + 522;
}

int f0523(int x) {
    return x + 523;
}

int f0524(int x) {
    return x + 524;
}

int f0525(int x) {
    return x + 525;
}

int f0526(int x) {
    return x + 526;
}

int f0527(int x) {
    return x + 527;
}

int f0528(int x) {
    return x + 528;
}

int f0529(int x) {
    return x + 529;
}

int f0530(int x) {
    return x + 530;
}

int f0531(int x) {
    return x + 531;
}

int f0532(int x) {
    return x + 532;
}

int f0533(int x) {
    return x + 533;
}

int f0534(int x) {
    return x + 534;
}

int f0535(int x) {
    return x + 535;
}

int f0536(int x) {
    return x + 536;
}

int f0537(int x) {
    return x + 537;
}

int f0538(int x) {
    return x + 538;
}

int f0539(int x) {
    return x + 539;
}

int f0540(int x) {
    return x + 540;
}

int f0541(int x) {
    return x + 541;
}

int f0542(int x) {
    return x + 542;
}

int f0543(int x) {
    return x + 543;
}

int f0544(int x) {
    return x + 544;
}

int f0545(int x) {
    return x + 545;
}

int f0546(int x) {
    return x + 546;
}

int f0547(int x) {
    return x + 547;
}

int f0548(int x) {
    return x + 548;
}

int f0549(int x) {
    return x + 549;
}

int f0550(int x) {
    return x + 550;
}

int f0551(int x) {
    return x + 551;
}

int f0552(int x) {
    return x + 552;
}

int f0553(int x) {
    return x + 553;
}

int f0554(int x) {
    return x + 554;
}

int f0555(int x) {
    return x + 555;
}

int f0556(int x) {
    return x + 556;
}

int f0557(int x) {
    return x + 557;
}

int f0558(int x) {
    return x + 558;
}

int f0559(int x) {
    return x + 559;
}

int f0560(int x) {
    return x + 560;
}

int f0561(int x) {
    return x + 561;
}

int f0562(int x) {
    return x + 562;
}

int f0563(int x) {
    return x + 563;
}

int f0564(int x) {
    return x + 564;
}

int f0565(int x) {
    return x + 565;
}

int f0566(int x) {
    return x + 566;
}

int f0567(int x) {
    return x + 567;
}

int f0568(int x) {
    return x + 568;
}

int f0569(int x) {
    return x + 569;
}

int f0570(int x) {
    return x + 570;
}

int f0571(int x) {
    return x + 571;
}

int f0572(int x) {
    return x + 572;
}

int f0573(int x) {
    return x + 573;
}

int f0574(int x) {
    return x + 574;
}

int f0575(int x) {
    return x + 575;
}

int f0576(int x) {
    return x + 576;
}

int f0577(int x) {
    return x + 577;
}

int f0578(int x) {
    return x + 578;
}

int f0579(int x) {
    return x + 579;
}

int f0580(int x) {
    return x + 580;
}

int f0581(int x) {
    return x + 581;
}

int f0582(int x) {
    return x + 582;
}

int f0583(int x) {
    return x + 583;
}

int f0584(int x) {
    return x + 584;
}

int f0585(int x) {
    return x + 585;
}

int f0586(int x) {
    return x + 586;
}

int f0587(int x) {
    return x + 587;
}

int f0588(int x) {
    return x + 588;
}

int f0589(int x) {
    return x + 589;
}

int f0590(int x) {
    return x + 590;
}

int f0591(int x) {
    return x + 591;
}

int f0592(int x) {
    return x + 592;
}

int f0593(int x) {
    return x + 593;
}

int f0594(int x) {
    return x + 594;
}

int f0595(int x) {
    return x + 595;
}

int f0596(int x) {
    return x + 596;
}

int f0597(int x) {
    return x + 597;
}

int f0598(int x) {
    return x + 598;
}

int f0599(int x) {
    return x + 599;
}

int f0600(int x) {
    return x + 600;
}

int f0601(int x) {
    return x + 601;
}

int f0602(int x) {
    return x + 602;
}

int f0603(int x) {
    return x + 603;
}

int f0604(int x) {
    return x + 604;
}

int f0605(int x) {
    return x + 605;
}

int f0606(int x) {
    return x + 606;
}

int f0607(int x) {
    return x + 607;
}

int f0608(int x) {
    return x + 608;
}

int f0609(int x) {
    return x + 609;
}

int f0610(int x) {
    return x + 610;
}

int f0611(int x) {
    return x + 611;
}

int f0612(int x) {
    return x + 612;
}

int f0613(int x) {
    return x + 613;
}

int f0614(int x) {
    return x + 614;
}

int f0615(int x) {
    return x + 615;
}

int f0616(int x) {
    return x + 616;
}

int f0617(int x) {
    return x + 617;
}

int f0618(int x) {
    return x + 618;
}

int f0619(int x) {
    return x + 619;
}

int f0620(int x) {
    return x + 620;
}

int f0621(int x) {
    return x + 621;
}

int f0622(int x) {
    return x + 622;
}

int f0623(int x) {
    return x + 623;
}

int f0624(int x) {
    return x + 624;
}

int f0625(int x) {
    return x + 625;
}

int f0626(int x) {
    return x + 626;
}

int f0627(int x) {
    return x + 627;
}

int f0628(int x) {
    return x + 628;
}

int f0629(int x) {
    return x + 629;
}

int f0630(int x) {
    return x + 630;
}

int f0631(int x) {
    return x + 631;
}

int f0632(int x) {
    return x + 632;
}

int f0633(int x) {
    return x + 633;
}

int f0634(int x) {
    return x + 634;
}

int f0635(int x) {
    return x + 635;
}

int f0636(int x) {
    return x + 636;
}

int f0637(int x) {
    return x + 637;
}

int f0638(int x) {
    return x + 638;
}

int f0639(int x) {
    return x + 639;
}

int f0640(int x) {
    return x + 640;
}

int f0641(int x) {
    return x + 641;
}

int f0642(int x) {
    return x + 642;
}

int f0643(int x) {
    return x + 643;
}

int f0644(int x) {
    return x + 644;
}

int f0645(int x) {
    return x + 645;
}

int f0646(int x) {
    return x + 646;
}

int f0647(int x) {
    return x + 647;
}

int f0648(int x) {
    return x + 648;
}

int f0649(int x) {
    return x + 649;
}

int f0650(int x) {
    return x + 650;
}

int f0651(int x) {
    return x + 651;
}

int f0652(int x) {
    return x + 652;
}

int f0653(int x) {
    return x + 653;
}

int f0654(int x) {
    return x + 654;
}

int f0655(int x) {
    return x + 655;
}

int f0656(int x) {
    return x + 656;
}

int f0657(int x) {
    return x + 657;
}

int f0658(int x) {
    return x + 658;
}

int f0659(int x) {
    return x + 659;
}

int f0660(int x) {
    return x + 660;
}

int f0661(int x) {
    return x + 661;
}

int f0662(int x) {
    return x + 662;
}

int f0663(int x) {
    return x + 663;
}

int f0664(int x) {
    return x + 664;
}

int f0665(int x) {
    return x + 665;
}

int f0666(int x) {
    return x + 666;
}

int f0667(int x) {
    return x + 667;
}

int f0668(int x) {
    return x + 668;
}

int f0669(int x) {
    return x + 669;
}

int f0670(int x) {
    return x + 670;
}

int f0671(int x) {
    return x + 671;
}

int f0672(int x) {
    return x + 672;
}

int f0673(int x) {
    return x + 673;
}

int f0674(int x) {
    return x + 674;
}

int f0675(int x) {
    return x + 675;
}

int f0676(int x) {
    return x + 676;
}

int f0677(int x) {
    return x + 677;
}

int f0678(int x) {
    return x + 678;
}

int f0679(int x) {
    return x + 679;
}

int f0680(int x) {
    return x + 680;
}

int f0681(int x) {
    return x + 681;
}

int f0682(int x) {
    return x + 682;
}

int f0683(int x) {
    return x + 683;
}

int f0684(int x) {
    return x + 684;
}

int f0685(int x) {
    return x + 685;
}

int f0686(int x) {
    return x + 686;
}

int f0687(int x) {
    return x + 687;
}

int f0688(int x) {
    return x + 688;
}

int f0689(int x) {
    return x + 689;
}

int f0690(int x) {
    return x + 690;
}

int f0691(int x) {
    return x + 691;
}

int f0692(int x) {
    return x + 692;
}

int f0693(int x) {
    return x + 693;
}

int f0694(int x) {
    return x + 694;
}

int f0695(int x) {
    return x + 695;
}

int f0696(int x) {
    return x + 696;
}

int f0697(int x) {
    return x + 697;
}

int f0698(int x) {
    return x + 698;
}

int f0699(int x) {
    return x + 699;
}

int f0700(int x) {
    return x + 700;
}

int f0701(int x) {
    return x + 701;
}

int f0702(int x) {
    return x + 702;
}

int f0703(int x) {
    return x + 703;
}

int f0704(int x) {
    return x + 704;
}

int f0705(int x) {
    return x + 705;
}

int f0706(int x) {
    return x + 706;
}

int f0707(int x) {
    return x + 707;
}

int f0708(int x) {
    return x + 708;
}

int f0709(int x) {
    return x + 709;
}

int f0710(int x) {
    return x + 710;
}

int f0711(int x) {
    return x + 711;
}

int f0712(int x) {
    return x + 712;
}

int f0713(int x) {
    return x + 713;
}

int f0714(int x) {
    return x + 714;
}

int f0715(int x) {
    return x + 715;
}

int f0716(int x) {
    return x + 716;
}

int f0717(int x) {
    return x + 717;
}

int f0718(int x) {
    return x + 718;
}

int f0719(int x) {
    return x + 719;
}

int f0720(int x) {
    return x + 720;
}

int f0721(int x) {
    return x + 721;
}

int f0722(int x) {
    return x + 722;
}

int f0723(int x) {
    return x + 723;
}

int f0724(int x) {
    return x + 724;
}

int f0725(int x) {
    return x + 725;
}

int f0726(int x) {
    return x + 726;
}

int f0727(int x) {
    return x + 727;
}

int f0728(int x) {
    return x + 728;
}

int f0729(int x) {
    return x + 729;
}

int f0730(int x) {
    return x + 730;
}

int f0731(int x) {
    return x + 731;
}

int f0732(int x) {
    return x + 732;
}

int f0733(int x) {
    return x + 733;
}

int f0734(int x) {
    return x + 734;
}

int f0735(int x) {
    return x + 735;
}

int f0736(int x) {
    return x + 736;
}

int f0737(int x) {
    return x + 737;
}

int f0738(int x) {
    return x + 738;
}

int f0739(int x) {
    return x + 739;
}

int f0740(int x) {
    return x + 740;
}

int f0741(int x) {
    return x + 741;
}

int f0742(int x) {
    return x + 742;
}

int f0743(int x) {
    return x + 743;
}

int f0744(int x) {
    return x + 744;
}

int f0745(int x) {
    return x + 745;
}

int f0746(int x) {
    return x + 746;
}

int f0747(int x) {
    return x + 747;
}

int f0748(int x) {
    return x + 748;
}

int f0749(int x) {
    return x + 749;
}

int f0750(int x) {
    return x + 750;
}

int f0751(int x) {
    return x + 751;
}

int f0752(int x) {
    return x + 752;
}

int f0753(int x) {
    return x + 753;
}

int f0754(int x) {
    return x + 754;
}

int f0755(int x) {
    return x + 755;
}

int f0756(int x) {
    return x + 756;
}

int f0757(int x) {
    return x + 757;
}

int f0758(int x) {
    return x + 758;
}

int f0759(int x) {
    return x + 759;
}

int f0760(int x) {
    return x + 760;
}

int f0761(int x) {
    return x + 761;
}

int f0762(int x) {
    return x + 762;
}

int f0763(int x) {
    return x + 763;
}

int f0764(int x) {
    return x + 764;
}

int f0765(int x) {
    return x + 765;
}

int f0766(int x) {
    return x + 766;
}

int f0767(int x) {
    return x + 767;
}

int f0768(int x) {
    return x + 768;
}

int f0769(int x) {
    return x + 769;
}

int f0770(int x) {
    return x + 770;
}

int f0771(int x) {
    return x + 771;
}

int f0772(int x) {
    return x + 772;
}

int f0773(int x) {
    return x + 773;
}

int f0774(int x) {
    return x + 774;
}

int f0775(int x) {
    return x + 775;
}

int f0776(int x) {
    return x + 776;
}

int f0777(int x) {
    return x + 777;
}

int f0778(int x) {
    return x + 778;
}

int f0779(int x) {
    return x + 779;
}

int f0780(int x) {
    return x + 780;
}

int f0781(int x) {
    return x + 781;
}

int f0782(int x) {
    return x + 782;
}

int f0783(int x) {
    return x + 783;
}

int f0784(int x) {
    return x + 784;
}

int f0785(int x) {
    return x + 785;
}

int f0786(int x) {
    return x + 786;
}

int f0787(int x) {
    return x + 787;
}

int f0788(int x) {
    return x + 788;
}

int f0789(int x) {
    return x + 789;
}

int f0790(int x) {
    return x + 790;
}

int f0791(int x) {
    return x + 791;
}

int f0792(int x) {
    return x + 792;
}

int f0793(int x) {
    return x + 793;
}

int f0794(int x) {
    return x + 794;
}

int f0795(int x) {
    return x + 795;
}

int f0796(int x) {
    return x + 796;
}

int f0797(int x) {
    return x + 797;
}

int f0798(int x) {
    return x + 798;
}

int f0799(int x) {
    return x + 799;
}

int f0800(int x) {
    return x + 800;
}
