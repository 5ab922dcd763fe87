#pragma OPENCL EXTENSION cl_khr_fp64 : enable  
#pragma OPENCL EXTENSION cl_khr_fp16 : enable  
#pragma OPENCL EXTENSION cl_khr_int64_base_atomics : enable  
__kernel void matmulF16(__global long *_kernel_context, __constant uchar *_constant_region, __local uchar *_local_region, __global int *_atomics, __global uchar *meta, __global uchar *x, __global uchar *w, __global uchar *bias, __global uchar *out, __private int inW, __private int outW, __private int hasBias, __private int accumulate)
{
  float f_31, f_29, f_156, f_43, f_106, f_41, f_40, f_140, f_19, f_83, f_18, f_146, f_21, f_20, f_84, f_127, f_126, f_125, f_67, f_66, f_71, f_70, f_133, f_132, f_73, f_72, f_111, f_113, f_112, f_119, f_54, f_118, f_53, f_56, f_120; 
  half half_28; 
  long l_64, l_63, l_130, l_129, l_131, l_136, l_138, l_137, l_50, l_49, l_116, l_51, l_115, l_117, l_122, l_124, l_123, l_62, l_96, l_95, l_98, l_36, l_100, l_99, l_38, l_37, l_108, l_110, l_109, l_80, l_144, l_79, l_143, l_81, l_145, l_86, l_24, l_88, l_152, l_87, l_26, l_90, l_154, l_25, l_153, l_92, l_91, l_94; 
  bool b_55, b_135, b_105, b_42, b_30, b_69; 
  ulong ul_1, ul_65, ul_0, ul_3, ul_2, ul_4, ul_39, ul_6, ul_139, ul_82, ul_52, ul_27, ul_155; 
  int i_97, i_93, i_89, i_85, i_75, i_76, i_77, i_78, i_74, i_68, i_59, i_60, i_61, i_57, i_58, i_47, i_48, i_44, i_45, i_46, i_35, i_32, i_33, i_34, i_157, i_23, i_151, i_147, i_148, i_149, i_22, i_150, i_15, i_16, i_17, i_11, i_12, i_13, i_141, i_14, i_142, i_7, i_8, i_9, i_10, i_134, i_128, i_121, i_114, i_107, i_103, i_104, i_101, i_102; 

  // BLOCK 0
  ul_0  =  (ulong) meta;
  ul_1  =  (ulong) x;
  ul_2  =  (ulong) w;
  ul_3  =  (ulong) bias;
  ul_4  =  (ulong) out;
  __local float adf_5[1024];
  ul_6  =  ul_0 + 16L;
  i_7  =  *((__global int *) ul_6);
  i_8  =  get_group_id(1);
  i_9  =  i_8 << 2;
  i_10  =  i_7 - i_9;
  i_11  =  min(4, i_10);
  i_12  =  get_local_size(0);
  i_13  =  get_group_id(0);
  i_14  =  i_13 << 10;
  i_15  =  i_13 << 7;
  i_16  =  i_14 - i_15;
  i_17  =  get_local_id(0);
  // BLOCK 1 MERGES [0 14 ]
  f_18  =  0.0F;
  f_19  =  0.0F;
  f_20  =  0.0F;
  f_21  =  0.0F;
  i_22  =  i_17;
  for(;i_22 < 896;)
  {
    // BLOCK 2
    i_23  =  i_16 + i_22;
    l_24  =  (long) i_23;
    l_25  =  l_24 + 8L;
    l_26  =  l_25 << 1;
    ul_27  =  ul_2 + l_26;
    half_28  =  *((__global half *) ul_27);
    f_29  =  convert_float((float) half_28);
    b_30  =  i_11 < 1;
    if(b_30)
    {
      // BLOCK 3
      f_31  =  f_18;
    }  // B2
    else
    {
      // BLOCK 4
      i_32  =  i_8 << 12;
      i_33  =  i_8 << 9;
      i_34  =  i_32 - i_33;
      i_35  =  i_34 + i_22;
      l_36  =  (long) i_35;
      l_37  =  l_36 + 4L;
      l_38  =  l_37 << 2;
      ul_39  =  ul_1 + l_38;
      f_40  =  *((__global float *) ul_39);
      f_41  =  fma(f_29, f_40, f_18);
      f_31  =  f_41;
    }  // B2
    // BLOCK 5 MERGES [3 4 ]
    b_42  =  i_11 < 2;
    if(b_42)
    {
      // BLOCK 6
      f_43  =  f_19;
    }  // B5
    else
    {
      // BLOCK 7
      i_44  =  i_9 + 1;
      i_45  =  i_44 << 10;
      i_46  =  i_44 << 7;
      i_47  =  i_45 - i_46;
      i_48  =  i_47 + i_22;
      l_49  =  (long) i_48;
      l_50  =  l_49 + 4L;
      l_51  =  l_50 << 2;
      ul_52  =  ul_1 + l_51;
      f_53  =  *((__global float *) ul_52);
      f_54  =  fma(f_29, f_53, f_19);
      f_43  =  f_54;
    }  // B5
    // BLOCK 8 MERGES [6 7 ]
    b_55  =  i_11 < 3;
    if(b_55)
    {
      // BLOCK 9
      f_56  =  f_20;
    }  // B8
    else
    {
      // BLOCK 10
      i_57  =  i_9 + 2;
      i_58  =  i_57 << 10;
      i_59  =  i_57 << 7;
      i_60  =  i_58 - i_59;
      i_61  =  i_60 + i_22;
      l_62  =  (long) i_61;
      l_63  =  l_62 + 4L;
      l_64  =  l_63 << 2;
      ul_65  =  ul_1 + l_64;
      f_66  =  *((__global float *) ul_65);
      f_67  =  fma(f_29, f_66, f_20);
      f_56  =  f_67;
    }  // B8
    // BLOCK 11 MERGES [9 10 ]
    i_68  =  i_12 + i_22;
    b_69  =  i_11 < 4;
    if(b_69)
    {
      // BLOCK 12
      f_70  =  f_31;
      f_71  =  f_43;
      f_72  =  f_56;
      f_73  =  f_21;
    }  // B11
    else
    {
      // BLOCK 13
      i_74  =  i_9 + 3;
      i_75  =  i_74 << 10;
      i_76  =  i_74 << 7;
      i_77  =  i_75 - i_76;
      i_78  =  i_77 + i_22;
      l_79  =  (long) i_78;
      l_80  =  l_79 + 4L;
      l_81  =  l_80 << 2;
      ul_82  =  ul_1 + l_81;
      f_83  =  *((__global float *) ul_82);
      f_84  =  fma(f_29, f_83, f_21);
      f_70  =  f_31;
      f_71  =  f_43;
      f_72  =  f_56;
      f_73  =  f_84;
    }  // B11
    // BLOCK 14 MERGES [12 13 ]
    f_70  =  f_31;
    f_71  =  f_43;
    f_72  =  f_56;
    i_85  =  i_68;
    f_18  =  f_70;
    f_19  =  f_71;
    f_20  =  f_72;
    f_21  =  f_73;
    i_22  =  i_85;
  }  // B1
  // BLOCK 15
  l_86  =  (long) i_17;
  l_87  =  l_86 << 2;
  l_88  =  l_87 + 16L;
  adf_5[l_88]  =  f_18;
  i_89  =  i_17 + 256;
  l_90  =  (long) i_89;
  l_91  =  l_90 << 2;
  l_92  =  l_91 + 16L;
  adf_5[l_92]  =  f_19;
  i_93  =  i_17 + 512;
  l_94  =  (long) i_93;
  l_95  =  l_94 << 2;
  l_96  =  l_95 + 16L;
  adf_5[l_96]  =  f_20;
  i_97  =  i_17 + 768;
  l_98  =  (long) i_97;
  l_99  =  l_98 << 2;
  l_100  =  l_99 + 16L;
  adf_5[l_100]  =  f_21;
  barrier(CLK_LOCAL_MEM_FENCE);
  i_101  =  i_12 >> 31;
  i_102  =  i_101 + i_12;
  i_103  =  i_102 >> 1;
  // BLOCK 16 MERGES [15 20 ]
  i_104  =  i_103;
  for(;i_104 >= 1;)
  {
    // BLOCK 17
    b_105  =  i_17 < i_104;
    if(b_105)
    {
      // BLOCK 18
      f_106  =  adf_5[l_88];
      i_107  =  i_104 + i_17;
      l_108  =  (long) i_107;
      l_109  =  l_108 << 2;
      l_110  =  l_109 + 16L;
      f_111  =  adf_5[l_110];
      f_112  =  f_106 + f_111;
      adf_5[l_88]  =  f_112;
      f_113  =  adf_5[l_92];
      i_114  =  i_89 + i_104;
      l_115  =  (long) i_114;
      l_116  =  l_115 << 2;
      l_117  =  l_116 + 16L;
      f_118  =  adf_5[l_117];
      f_119  =  f_113 + f_118;
      adf_5[l_92]  =  f_119;
      f_120  =  adf_5[l_96];
      i_121  =  i_93 + i_104;
      l_122  =  (long) i_121;
      l_123  =  l_122 << 2;
      l_124  =  l_123 + 16L;
      f_125  =  adf_5[l_124];
      f_126  =  f_120 + f_125;
      adf_5[l_96]  =  f_126;
      f_127  =  adf_5[l_100];
      i_128  =  i_97 + i_104;
      l_129  =  (long) i_128;
      l_130  =  l_129 << 2;
      l_131  =  l_130 + 16L;
      f_132  =  adf_5[l_131];
      f_133  =  f_127 + f_132;
      adf_5[l_100]  =  f_133;
    }  // B17
    else
    {
      // BLOCK 19
    }  // B17
    // BLOCK 20 MERGES [19 18 ]
    barrier(CLK_LOCAL_MEM_FENCE);
    i_134  =  i_104 >> 1;
    i_104  =  i_134;
  }  // B16
  // BLOCK 21
  b_135  =  i_17 == 0;
  if(b_135)
  {
    // BLOCK 22
    l_136  =  (long) i_13;
    l_137  =  l_136 + 4L;
    l_138  =  l_137 << 2;
    ul_139  =  ul_3 + l_138;
    f_140  =  *((__global float *) ul_139);
    // BLOCK 23 MERGES [22 24 ]
    i_141  =  0;
    for(;i_141 < i_11;)
    {
      // BLOCK 24
      i_142  =  i_141 << 8;
      l_143  =  (long) i_142;
      l_144  =  l_143 << 2;
      l_145  =  l_144 + 16L;
      f_146  =  adf_5[l_145];
      i_147  =  i_9 + i_141;
      i_148  =  i_147 << 10;
      i_149  =  i_147 << 7;
      i_150  =  i_148 + i_149;
      i_151  =  i_150 + i_13;
      l_152  =  (long) i_151;
      l_153  =  l_152 + 4L;
      l_154  =  l_153 << 2;
      ul_155  =  ul_4 + l_154;
      f_156  =  f_140 + f_146;
      *((__global float *) ul_155)  =  f_156;
      i_157  =  i_141 + 1;
      i_141  =  i_157;
    }  // B23
    // BLOCK 25
  }  // B21
  else
  {
    // BLOCK 26
  }  // B21
  // BLOCK 27 MERGES [26 25 ]
  return;
}  //  kernel
